use leptos::prelude::*;

/// A run of inline text with its emphasis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub strong: bool,
    pub em: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// 0 for a top-level item, 1 for an item under it.
    pub depth: usize,
    /// `Some(done)` for a task-list item.
    pub check: Option<bool>,
    pub spans: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(u8, Vec<Span>),
    Table {
        head: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
    },
    List(Vec<Item>),
    Paragraph(Vec<Span>),
}

/// Inline Markdown as the core's report writes it: `\x` is a literal x, `**` toggles
/// strong, `_` toggles emphasis. User text is always escaped by the core, so any
/// unescaped marker is the report's own.
pub fn inline(source: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut text = String::new();
    let (mut strong, mut em) = (false, false);
    let mut chars = source.chars().peekable();
    let mut flush = |text: &mut String, strong: bool, em: bool| {
        if !text.is_empty() {
            spans.push(Span {
                text: std::mem::take(text),
                strong,
                em,
            });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    text.push(next);
                }
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                flush(&mut text, strong, em);
                strong = !strong;
            }
            '_' => {
                flush(&mut text, strong, em);
                em = !em;
            }
            _ => text.push(c),
        }
    }
    flush(&mut text, strong, em);
    spans
}

/// Table cells split on unescaped pipes; the outer pipes make no cells.
fn cells(line: &str) -> Vec<Vec<Span>> {
    let inner = line.trim().trim_start_matches('|');
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cell.push(c);
                if let Some(next) = chars.next() {
                    cell.push(next);
                }
            }
            '|' => out.push(inline(std::mem::take(&mut cell).trim())),
            _ => cell.push(c),
        }
    }
    if !cell.trim().is_empty() {
        out.push(inline(cell.trim()));
    }
    out
}

/// The block structure of the core's Markdown report: headings, one pipe table, lists
/// (two levels, task items) and paragraphs. Not a general Markdown parser.
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(level) = ["# ", "## ", "### ", "#### "]
            .iter()
            .position(|prefix| line.starts_with(prefix))
        {
            let text = &line[level + 2..];
            blocks.push(Block::Heading(level as u8 + 1, inline(text)));
        } else if trimmed.starts_with('|') {
            let head = cells(trimmed);
            let mut rows = Vec::new();
            while let Some(next) = lines.peek().filter(|l| l.trim_start().starts_with('|')) {
                if !next.contains("---") {
                    rows.push(cells(next));
                }
                lines.next();
            }
            blocks.push(Block::Table { head, rows });
        } else if trimmed.starts_with("- ") {
            let mut items = vec![item(line)];
            while let Some(next) = lines.peek().filter(|l| l.trim_start().starts_with("- ")) {
                items.push(item(next));
                lines.next();
            }
            blocks.push(Block::List(items));
        } else {
            let mut text = trimmed.to_owned();
            while let Some(next) = lines
                .peek()
                .filter(|l| !l.trim().is_empty() && !l.starts_with(['#', '|', '-']))
            {
                text.push(' ');
                text.push_str(next.trim());
                lines.next();
            }
            blocks.push(Block::Paragraph(inline(&text)));
        }
    }
    blocks
}

fn item(line: &str) -> Item {
    let depth = (line.len() - line.trim_start().len()) / 2;
    let rest = line.trim_start().trim_start_matches("- ");
    let (check, rest) = if let Some(rest) = rest.strip_prefix("[ ] ") {
        (Some(false), rest)
    } else if let Some(rest) = rest.strip_prefix("[x] ") {
        (Some(true), rest)
    } else {
        (None, rest)
    };
    Item {
        depth,
        check,
        spans: inline(rest),
    }
}

fn spans_view(spans: Vec<Span>) -> impl IntoView {
    spans
        .into_iter()
        .map(|span| match (span.strong, span.em) {
            (true, _) => view! { <strong>{span.text}</strong> }.into_any(),
            (false, true) => view! { <em>{span.text}</em> }.into_any(),
            (false, false) => span.text.into_any(),
        })
        .collect_view()
}

/// Renders the core's Markdown report as HTML elements; every text is a text node.
#[component]
pub fn MarkdownView(#[prop(into)] markdown: Signal<String>) -> impl IntoView {
    move || {
        markdown.with(|text| {
            parse(text)
                .into_iter()
                .map(|block| match block {
                    Block::Heading(1, spans) => view! { <h1>{spans_view(spans)}</h1> }.into_any(),
                    Block::Heading(2, spans) => view! { <h2>{spans_view(spans)}</h2> }.into_any(),
                    Block::Heading(_, spans) => view! { <h3>{spans_view(spans)}</h3> }.into_any(),
                    Block::Table { head, rows } => view! {
                        <table class="md-table">
                            <thead><tr>{head.into_iter().map(|c| view! { <th scope="col">{spans_view(c)}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! {
                                    <tr>{row.into_iter().map(|c| view! { <td>{spans_view(c)}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Block::List(items) => view! {
                        <ul class="md-list">
                            {items.into_iter().map(|item| {
                                let mark = match item.check { Some(true) => "☑ ", Some(false) => "☐ ", None => "" };
                                let nested = item.depth != 0;
                                view! {
                                    <li class:md-nested=nested>{mark}{spans_view(item.spans)}</li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Block::Paragraph(spans) => view! { <p>{spans_view(spans)}</p> }.into_any(),
                })
                .collect_view()
        })
    }
}
