//! The outcomes of a workshop: agreements, open ends and follow-up (tamed bears arrive
//! here), the practical assignment, community plans, and every export.
pub mod agreements_tab;
pub mod export_tab;
pub mod participant_outcomes;
pub mod projector_agreements;
