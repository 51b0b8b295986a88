//! Running a command from a control and saying, next to it, why it was refused.

use bijeen_core::Command;
use leptos::prelude::*;

use crate::i18n::{I18n, use_i18n};
use crate::workshop::session::WorkshopSession;
use crate::workshop::use_session;

/// Runs commands on the console's workshop and words a refusal in the active language.
/// Created while a component is built (where the contexts are), used in its handlers.
#[derive(Clone, Copy)]
pub struct Runner {
    session: WorkshopSession,
    i18n: I18n,
}

impl Runner {
    pub fn from_context() -> Self {
        Self {
            session: use_session(),
            i18n: use_i18n(),
        }
    }

    pub fn run(&self, command: Command) -> Result<(), String> {
        self.session
            .execute(command)
            .map_err(|error| (self.i18n.phone().domain_error)(error))
    }

    /// Runs `command` and records the refusal (or its absence) in `slot`, the message
    /// next to the control.
    pub fn run_into(&self, slot: RwSignal<Option<String>>, command: Command) {
        slot.set(self.run(command).err());
    }
}

/// A slot for the last refusal next to a control, cleared by the next success.
pub fn error_slot() -> RwSignal<Option<String>> {
    RwSignal::new(None)
}
