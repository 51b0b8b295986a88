use leptos::prelude::*;

use crate::brainstorm::board_controls::BoardControls;
use crate::brainstorm::counters::Counters;
use crate::brainstorm::group_editor::GroupEditor;
use crate::brainstorm::moderation_board::ModerationBoard;

/// The console's "Brainstorm" tab: theme groups, board and voting controls, counters, and
/// every note to moderate.
#[component]
pub fn BrainstormTab() -> impl IntoView {
    let sort_by_votes = RwSignal::new(false);
    view! {
        <div class="bs-tab">
            <div class="bs-tab__top">
                <BoardControls sort_by_votes=sort_by_votes />
                <Counters />
            </div>
            <GroupEditor />
            <ModerationBoard sort_by_votes=sort_by_votes />
        </div>
    }
    .into_any()
}
