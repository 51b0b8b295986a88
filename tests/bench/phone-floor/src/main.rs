// A measuring stick, not the product: a participant phone without a replica. The relay
// would send the view a participant may see (PhoneView) and take intents; the phone keeps
// only an outbox of intents. Screens: join, the now-bar with its timer, connection state,
// the note form and the group's notes (edit, delete, vote), bears (write, edit, delete, see
// fates), agreements, the practical assignment, download of one's own contributions.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, Deserialize, PartialEq, Default)]
struct BlockView {
    title: String,
    goal: String,
    work_form: String,
    ends_at_ms: f64,
    paused: bool,
    examples: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct GroupView {
    id: String,
    name: String,
    colour: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct NoteView {
    id: String,
    text: String,
    group: String,
    category: Option<String>,
    mine: bool,
    votes: u32,
    my_votes: u32,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
enum Fate {
    Open,
    Shot {
        answer: String,
    },
    Tamed {
        action: String,
        owner: Option<String>,
        due: Option<String>,
    },
    Parked,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct BearView {
    id: String,
    text: String,
    mine: bool,
    fate: Fate,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct AgreementView {
    list: String,
    text: String,
    owner: Option<String>,
    due: Option<String>,
    done: bool,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Default)]
enum Lead {
    #[default]
    NoteForm,
    Bears,
    Agreements,
    Assignment,
    BlockContent,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Default)]
struct PhoneView {
    workshop: String,
    block: Option<BlockView>,
    lead: Lead,
    groups: Vec<GroupView>,
    my_group: Option<String>,
    board_open: bool,
    notes: Vec<NoteView>,
    votes_left: Option<u32>,
    bears_open: bool,
    bears: Vec<BearView>,
    agreements: Vec<AgreementView>,
    assignment: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "t")]
enum ServerMsg {
    View { view: PhoneView },
    Ack { upto: u64 },
    Refused { id: u64, reason: String },
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "t")]
enum Intent {
    Join { name: String },
    SetGroup { group: String },
    AddNote { group: String, text: String },
    EditNote { id: String, text: String },
    DeleteNote { id: String },
    Vote { note: String },
    Unvote { note: String },
    AddBear { text: String },
    EditBear { id: String, text: String },
    DeleteBear { id: String },
}

#[derive(Serialize)]
struct Outgoing<'a> {
    id: u64,
    intent: &'a Intent,
}

struct Strings {
    join: &'static str,
    your_name: &'static str,
    anonymous: &'static str,
    now: &'static str,
    paused: &'static str,
    connected: &'static str,
    reconnecting: &'static str,
    unsent: &'static str,
    group: &'static str,
    note_text: &'static str,
    post: &'static str,
    notes_of_group: &'static str,
    edit: &'static str,
    delete: &'static str,
    save: &'static str,
    cancel: &'static str,
    vote: &'static str,
    unvote: &'static str,
    votes_left: &'static str,
    bears: &'static str,
    bear_text: &'static str,
    add_bear: &'static str,
    shot: &'static str,
    tamed: &'static str,
    parked: &'static str,
    agreements: &'static str,
    assignment: &'static str,
    download: &'static str,
    about: &'static str,
    yours: &'static str,
    refused: &'static str,
}

const NL: Strings = Strings {
    join: "Meedoen",
    your_name: "Je naam (mag leeg)",
    anonymous: "Anoniem meedoen",
    now: "Nu bezig",
    paused: "Gepauzeerd",
    connected: "Verbonden",
    reconnecting: "Opnieuw verbinden…",
    unsent: "wijzigingen nog niet verstuurd",
    group: "Themagroep",
    note_text: "Tekst van het geeltje",
    post: "Geeltje plakken",
    notes_of_group: "Geeltjes van je groep",
    edit: "Bewerken",
    delete: "Verwijderen",
    save: "Opslaan",
    cancel: "Annuleren",
    vote: "Stem",
    unvote: "Stem terug",
    votes_left: "stemmen over",
    bears: "Beren op de weg",
    bear_text: "Jouw beer",
    add_bear: "Beer ophangen",
    shot: "Geschoten",
    tamed: "Getemd",
    parked: "Geparkeerd",
    agreements: "Afspraken",
    assignment: "Praktijkopdracht",
    download: "Mijn bijdragen downloaden",
    about: "Waar dit blok over gaat",
    yours: "Van jou",
    refused: "Niet gelukt",
};

const EN: Strings = Strings {
    join: "Join",
    your_name: "Your name (may be empty)",
    anonymous: "Join anonymously",
    now: "Now",
    paused: "Paused",
    connected: "Connected",
    reconnecting: "Reconnecting…",
    unsent: "changes not sent yet",
    group: "Theme group",
    note_text: "Text of the note",
    post: "Post note",
    notes_of_group: "Your group's notes",
    edit: "Edit",
    delete: "Delete",
    save: "Save",
    cancel: "Cancel",
    vote: "Vote",
    unvote: "Take vote back",
    votes_left: "votes left",
    bears: "Bears on the road",
    bear_text: "Your bear",
    add_bear: "Put up bear",
    shot: "Shot",
    tamed: "Tamed",
    parked: "Parked",
    agreements: "Agreements",
    assignment: "Practical assignment",
    download: "Download my contributions",
    about: "What this block is about",
    yours: "Yours",
    refused: "Did not work",
};

#[derive(Clone, Copy)]
struct Link {
    view: RwSignal<PhoneView>,
    connected: RwSignal<bool>,
    outbox: StoredValue<VecDeque<(u64, String)>, LocalStorage>,
    pending: RwSignal<usize>,
    next_id: StoredValue<u64>,
    socket: StoredValue<Option<web_sys::WebSocket>, LocalStorage>,
    problem: RwSignal<Option<String>>,
    english: RwSignal<bool>,
}

impl Link {
    fn s(&self) -> &'static Strings {
        if self.english.get() {
            &EN
        } else {
            &NL
        }
    }

    fn send(&self, intent: Intent) {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        let Ok(text) = serde_json::to_string(&Outgoing {
            id,
            intent: &intent,
        }) else {
            return;
        };
        self.outbox
            .update_value(|o| o.push_back((id, text.clone())));
        self.pending.set(self.outbox.with_value(|o| o.len()));
        self.socket.with_value(|s| {
            if let Some(s) = s {
                let _ = s.send_with_str(&text);
            }
        });
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let all: Vec<String> = self
                .outbox
                .with_value(|o| o.iter().map(|(_, t)| t.clone()).collect());
            let _ = storage.set_item("outbox", &all.join("\n"));
        }
    }

    fn receive(&self, text: &str) {
        match serde_json::from_str::<ServerMsg>(text) {
            Ok(ServerMsg::View { view }) => self.view.set(view),
            Ok(ServerMsg::Ack { upto }) => {
                self.outbox.update_value(|o| o.retain(|(id, _)| *id > upto));
                self.pending.set(self.outbox.with_value(|o| o.len()));
            }
            Ok(ServerMsg::Refused { id, reason }) => {
                self.outbox.update_value(|o| o.retain(|(i, _)| *i != id));
                self.pending.set(self.outbox.with_value(|o| o.len()));
                self.problem.set(Some(reason));
            }
            Err(e) => self.problem.set(Some(e.to_string())),
        }
    }

    fn connect(self) {
        let Ok(ws) = web_sys::WebSocket::new("/ws/phone") else {
            return;
        };
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    self.receive(&text);
                }
            });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            self.connected.set(true);
            self.socket.with_value(|s| {
                if let Some(s) = s {
                    self.outbox.with_value(|o| {
                        for (_, t) in o {
                            let _ = s.send_with_str(t);
                        }
                    });
                }
            });
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        let on_close = Closure::<dyn FnMut()>::new(move || {
            self.connected.set(false);
            set_timeout(move || self.connect(), std::time::Duration::from_secs(2));
        });
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        on_close.forget();
        self.socket.set_value(Some(ws));
    }
}

fn link() -> Link {
    expect_context::<Link>()
}

#[component]
fn JoinForm(joined: RwSignal<bool>) -> impl IntoView {
    let l = link();
    let name = RwSignal::new(String::new());
    view! {
        <form class="panel join-form" on:submit=move |e| {
            e.prevent_default();
            l.send(Intent::Join { name: name.get_untracked() });
            joined.set(true);
        }>
            <h2>{move || l.s().join}</h2>
            <label for="name">{move || l.s().your_name}</label>
            <input id="name" bind:value=name autocomplete="nickname" />
            <button type="submit">{move || l.s().join}</button>
            <button type="button" on:click=move |_| {
                l.send(Intent::Join { name: String::new() });
                joined.set(true);
            }>{move || l.s().anonymous}</button>
        </form>
    }
}

#[component]
fn NowBar() -> impl IntoView {
    let l = link();
    let now = RwSignal::new(js_sys::Date::now());
    let handle = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_millis(500),
    );
    on_cleanup(move || {
        if let Ok(h) = handle {
            h.clear();
        }
    });
    let left = move || {
        l.view.with(|v| {
            v.block
                .as_ref()
                .map(|b| ((b.ends_at_ms - now.get()) / 1000.0).max(0.0) as i64)
        })
    };
    view! {
        <header class="now-bar" aria-live="polite">
            <p class="now-bar__label">{move || l.s().now}</p>
            <h1>{move || l.view.with(|v| v.block.as_ref().map(|b| b.title.clone()).unwrap_or_else(|| v.workshop.clone()))}</h1>
            <p class="now-bar__timer" role="timer">
                {move || left().map(|s| format!("{:02}:{:02}", s / 60, s % 60))}
                {move || l.view.with(|v| v.block.as_ref().is_some_and(|b| b.paused)).then(|| l.s().paused)}
            </p>
            <Connection />
        </header>
    }
}

#[component]
fn Connection() -> impl IntoView {
    let l = link();
    view! {
        <p class="connection" data-state=move || if l.connected.get() { "connected" } else { "reconnecting" }>
            {move || if l.connected.get() { l.s().connected } else { l.s().reconnecting }}
            {move || (l.pending.get() > 0).then(|| format!(" {} {}", l.pending.get(), l.s().unsent))}
            {move || l.problem.get().map(|p| view! { <span role="alert">{l.s().refused}": "{p}</span> })}
        </p>
    }
}

#[component]
fn About() -> impl IntoView {
    let l = link();
    view! {
        <section class="panel">
            <h2>{move || l.s().about}</h2>
            {move || l.view.with(|v| v.block.clone()).map(|b| view! {
                <p class="goal">{b.goal}</p>
                <p class="work-form">{b.work_form}</p>
                <ul>{b.examples.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
            })}
        </section>
    }
}

#[component]
fn NoteForm() -> impl IntoView {
    let l = link();
    let text = RwSignal::new(String::new());
    let group = move || l.view.with(|v| v.my_group.clone());
    view! {
        <form class="panel note-form" on:submit=move |e| {
            e.prevent_default();
            if let Some(g) = group() {
                l.send(Intent::AddNote { group: g, text: text.get_untracked() });
                text.set(String::new());
            }
        }>
            <fieldset>
                <legend>{move || l.s().group}</legend>
                <For each=move || l.view.with(|v| v.groups.clone()) key=|g| g.id.clone() let:g>
                    <label class="group-choice" style:background=g.colour.clone()>
                        <input type="radio" name="group" prop:checked={
                            let id = g.id.clone();
                            move || group().as_deref() == Some(id.as_str())
                        } on:change={
                            let id = g.id.clone();
                            move |_| l.send(Intent::SetGroup { group: id.clone() })
                        } />
                        {g.name.clone()}
                    </label>
                </For>
            </fieldset>
            <label for="note">{move || l.s().note_text}</label>
            <textarea id="note" bind:value=text maxlength="500"></textarea>
            <button type="submit" disabled=move || !l.view.with(|v| v.board_open)>{move || l.s().post}</button>
        </form>
    }
}

#[component]
fn EditableText(text: String, on_save: Callback<String>) -> impl IntoView {
    let l = link();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(text.clone());
    let shown = text.clone();
    view! {
        <Show when=move || editing.get() fallback=move || view! {
            <p>{shown.clone()}</p>
            <button on:click=move |_| editing.set(true)>{move || l.s().edit}</button>
        }>
            <textarea bind:value=draft></textarea>
            <button on:click=move |_| { on_save.run(draft.get_untracked()); editing.set(false); }>{move || l.s().save}</button>
            <button on:click=move |_| editing.set(false)>{move || l.s().cancel}</button>
        </Show>
    }
}

#[component]
fn NoteCard(note: NoteView) -> impl IntoView {
    let l = link();
    let id = note.id.clone();
    let (id2, id3, id4) = (id.clone(), id.clone(), id.clone());
    view! {
        <li class="note" class:mine=note.mine>
            {note.category.clone().map(|c| view! { <span class="chip">{c}</span> })}
            {note.mine.then(|| view! { <span class="badge">{move || l.s().yours}</span> })}
            {if note.mine {
                view! {
                    <EditableText text=note.text.clone() on_save=Callback::new(move |t| l.send(Intent::EditNote { id: id.clone(), text: t })) />
                    <button class="danger" on:click=move |_| l.send(Intent::DeleteNote { id: id2.clone() })>{move || l.s().delete}</button>
                }.into_any()
            } else {
                view! { <p>{note.text.clone()}</p> }.into_any()
            }}
            {move || l.view.with(|v| v.votes_left).map(|_| {
                let (a, b) = (id3.clone(), id4.clone());
                view! {
                    <span class="votes">{note.votes}</span>
                    <button on:click=move |_| l.send(Intent::Vote { note: a.clone() })>{move || l.s().vote}</button>
                    <button disabled=note.my_votes == 0 on:click=move |_| l.send(Intent::Unvote { note: b.clone() })>{move || l.s().unvote}</button>
                }
            })}
        </li>
    }
}

#[component]
fn Notes() -> impl IntoView {
    let l = link();
    view! {
        <section class="panel">
            <h2>{move || l.s().notes_of_group}</h2>
            {move || l.view.with(|v| v.votes_left).map(|n| view! { <p>{n}" "{l.s().votes_left}</p> })}
            <ul class="notes">
                <For each=move || l.view.with(|v| v.notes.clone()) key=|n| (n.id.clone(), n.text.clone(), n.votes, n.my_votes) let:n>
                    <NoteCard note=n />
                </For>
            </ul>
        </section>
    }
}

#[component]
fn BearCard(bear: BearView) -> impl IntoView {
    let l = link();
    let id = bear.id.clone();
    let id2 = id.clone();
    let fate = match bear.fate.clone() {
        Fate::Open => None,
        Fate::Shot { answer } => Some(view! { <p class="fate"><strong>{move || l.s().shot}</strong>" "{answer}</p> }.into_any()),
        Fate::Tamed { action, owner, due } => Some(view! {
            <p class="fate"><strong>{move || l.s().tamed}</strong>" "{action}" "{owner}" "{due}</p>
        }.into_any()),
        Fate::Parked => Some(view! { <p class="fate">{move || l.s().parked}</p> }.into_any()),
    };
    view! {
        <li class="bear">
            {if bear.mine && bear.fate == Fate::Open {
                view! {
                    <EditableText text=bear.text.clone() on_save=Callback::new(move |t| l.send(Intent::EditBear { id: id.clone(), text: t })) />
                    <button class="danger" on:click=move |_| l.send(Intent::DeleteBear { id: id2.clone() })>{move || l.s().delete}</button>
                }.into_any()
            } else {
                view! { <p>{bear.text.clone()}</p> }.into_any()
            }}
            {fate}
        </li>
    }
}

#[component]
fn Bears() -> impl IntoView {
    let l = link();
    let text = RwSignal::new(String::new());
    view! {
        <section class="panel">
            <h2>{move || l.s().bears}</h2>
            <Show when=move || l.view.with(|v| v.bears_open)>
                <form on:submit=move |e| {
                    e.prevent_default();
                    l.send(Intent::AddBear { text: text.get_untracked() });
                    text.set(String::new());
                }>
                    <label for="bear">{move || l.s().bear_text}</label>
                    <textarea id="bear" bind:value=text></textarea>
                    <button type="submit">{move || l.s().add_bear}</button>
                </form>
            </Show>
            <ul class="bears">
                <For each=move || l.view.with(|v| v.bears.clone()) key=|b| format!("{b:?}") let:b>
                    <BearCard bear=b />
                </For>
            </ul>
        </section>
    }
}

#[component]
fn Agreements() -> impl IntoView {
    let l = link();
    view! {
        <section class="panel">
            <h2>{move || l.s().agreements}</h2>
            <ul>
                {move || l.view.with(|v| v.agreements.clone()).into_iter().map(|a| view! {
                    <li class:done=a.done><span class="list">{a.list}</span>" "{a.text}" "{a.owner}" "{a.due}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Assignment() -> impl IntoView {
    let l = link();
    view! {
        <section class="panel">
            <h2>{move || l.s().assignment}</h2>
            <p>{move || l.view.with(|v| v.assignment.clone())}</p>
        </section>
    }
}

#[component]
fn Download() -> impl IntoView {
    let l = link();
    let download = move |_| {
        let text = l.view.with_untracked(|v| {
            let mut out = String::new();
            for n in v.notes.iter().filter(|n| n.mine) {
                out.push_str(&format!("- {}\n", n.text));
            }
            for b in v.bears.iter().filter(|b| b.mine) {
                out.push_str(&format!("- {}\n", b.text));
            }
            out
        });
        let parts = js_sys::Array::of1(&JsValue::from_str(&text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/plain");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        if let Some(a) = document()
            .create_element("a")
            .ok()
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        {
            a.set_href(&url);
            a.set_download("bijdragen.txt");
            a.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    };
    view! { <button on:click=download>{move || l.s().download}</button> }
}

#[component]
fn Phone() -> impl IntoView {
    let l = link();
    let joined = RwSignal::new(false);
    view! {
        <NowBar />
        <main>
            <Show when=move || joined.get() fallback=move || view! { <JoinForm joined /> }>
                {move || match l.view.with(|v| v.lead) {
                    Lead::NoteForm => view! { <NoteForm /><Notes /><About /> }.into_any(),
                    Lead::Bears => view! { <Bears /><About /> }.into_any(),
                    Lead::Agreements => view! { <Agreements /><About /> }.into_any(),
                    Lead::Assignment => view! { <Assignment /><Agreements /> }.into_any(),
                    Lead::BlockContent => view! { <About /><Notes /> }.into_any(),
                }}
                <Download />
                <button on:click=move |_| l.english.update(|e| *e = !*e)>"NL / EN"</button>
            </Show>
        </main>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    let l = Link {
        view: RwSignal::new(PhoneView::default()),
        connected: RwSignal::new(false),
        outbox: StoredValue::new_local(VecDeque::new()),
        pending: RwSignal::new(0),
        next_id: StoredValue::new(0),
        socket: StoredValue::new_local(None),
        problem: RwSignal::new(None),
        english: RwSignal::new(false),
    };
    provide_context(l);
    l.connect();
    mount_to_body(move || {
        provide_context(l);
        view! { <Phone /> }
    });
}
