//! Which screen an entry shows for an address. Each entry serves a few fixed routes with
//! one parameter at most, so it reads the path itself instead of linking a router: the
//! router was 36 KB (brotli) of the participant's download and 38 KB of the remote's
//! (measured with and without it, `scripts/bundle-size.mjs`), for two routes and one
//! navigation. The address bar and the links are `adapters::history`'s.

/// A phone entry's screen, with the route's parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneRoute {
    /// `/j/CODE`: joining by code.
    Join { code: String },
    /// `/w/ID/join`: the participant's screen of workshop `ID`.
    Participant { workshop: String },
    /// `/w/ID/window`: a participant's window of a workshop this browser holds itself (the
    /// facilitator's), which needs no relay: the window entry's, with a replica.
    Window { workshop: String },
    /// `/w/ID/remote`: the facilitator's phone remote of room `ID`.
    Remote { room: String },
    /// Any other address belongs to the facilitator's entry.
    Elsewhere,
}

impl PhoneRoute {
    /// The route of `path`, matched the way the relay picks the entry that serves it
    /// (a trailing slash is the same address).
    pub fn of(path: &str) -> PhoneRoute {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match segments.as_slice() {
            ["j", code] if !code.is_empty() => PhoneRoute::Join {
                code: (*code).to_owned(),
            },
            ["w", id, "join"] if !id.is_empty() => PhoneRoute::Participant {
                workshop: (*id).to_owned(),
            },
            ["w", id, "window"] if !id.is_empty() => PhoneRoute::Window {
                workshop: (*id).to_owned(),
            },
            ["w", id, "remote"] if !id.is_empty() => PhoneRoute::Remote {
                room: (*id).to_owned(),
            },
            _ => PhoneRoute::Elsewhere,
        }
    }

    /// The participant's screen of `workshop`, where a phone goes once it has joined.
    pub fn participant_path(workshop: &str) -> String {
        format!("/w/{workshop}/join")
    }

    /// The window entry's screen of `workshop` on a phone that still holds changes of the
    /// replica it kept before the phone had an entry of its own: the window entry sends
    /// them as it always has, then returns to [`PhoneRoute::participant_path`].
    pub fn earlier_changes_path(workshop: &str) -> String {
        format!("/w/{workshop}/window?{BACK_TO_PHONE}")
    }

    /// Whether a page's query (without its `?`) asks the window entry to return to the
    /// phone's screen once its changes are sent.
    pub fn returns_to_phone(query: &str) -> bool {
        query.split('&').any(|pair| pair == BACK_TO_PHONE)
    }
}

/// The query of [`PhoneRoute::earlier_changes_path`].
const BACK_TO_PHONE: &str = "then=phone";

/// A screen of the facilitator's entry, with the route's parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FacilitatorRoute {
    /// `/`: the workshops on this device.
    Home,
    /// `/w/ID`: the console of workshop `ID`.
    Console { workshop: String },
    /// `/w/ID/present`: its projector.
    Projector { workshop: String },
    /// `/w/ID/report`: its printable report.
    Report { workshop: String },
    /// Any other address: the not-found page.
    NotFound,
}

impl FacilitatorRoute {
    /// The route of `path` (a trailing slash is the same address).
    pub fn of(path: &str) -> FacilitatorRoute {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        let workshop = |id: &str| id.to_owned();
        match segments.as_slice() {
            [] => FacilitatorRoute::Home,
            ["w", id] if !id.is_empty() => FacilitatorRoute::Console {
                workshop: workshop(id),
            },
            ["w", id, "present"] if !id.is_empty() => FacilitatorRoute::Projector {
                workshop: workshop(id),
            },
            ["w", id, "report"] if !id.is_empty() => FacilitatorRoute::Report {
                workshop: workshop(id),
            },
            _ => FacilitatorRoute::NotFound,
        }
    }

    /// Whether a link to `path` is one of this entry's own screens, which it shows without
    /// loading a page. A link to a phone's route (`/j/CODE`) loads that entry instead.
    pub fn shows(path: &str) -> bool {
        FacilitatorRoute::of(path) != FacilitatorRoute::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_phone_route_and_its_parameter() {
        assert_eq!(
            PhoneRoute::of("/j/K7MX2Q"),
            PhoneRoute::Join {
                code: "K7MX2Q".into()
            }
        );
        assert_eq!(
            PhoneRoute::of("/w/demo-1/join/"),
            PhoneRoute::Participant {
                workshop: "demo-1".into()
            }
        );
        assert_eq!(
            PhoneRoute::of("/w/r123/remote"),
            PhoneRoute::Remote {
                room: "r123".into()
            }
        );
    }

    #[test]
    fn leaves_every_other_address_to_the_facilitators_entry() {
        for path in [
            "/",
            "",
            "/j/",
            "/j",
            "/w/demo-1",
            "/w//join",
            "/w/a/present",
            "/j/a/b",
        ] {
            assert_eq!(PhoneRoute::of(path), PhoneRoute::Elsewhere, "{path}");
        }
    }

    #[test]
    fn reads_each_facilitator_route() {
        assert_eq!(FacilitatorRoute::of("/"), FacilitatorRoute::Home);
        assert_eq!(FacilitatorRoute::of(""), FacilitatorRoute::Home);
        let id = || "demo-1".to_owned();
        assert_eq!(
            FacilitatorRoute::of("/w/demo-1"),
            FacilitatorRoute::Console { workshop: id() }
        );
        assert_eq!(
            FacilitatorRoute::of("/w/demo-1/present/"),
            FacilitatorRoute::Projector { workshop: id() }
        );
        assert_eq!(
            FacilitatorRoute::of("/w/demo-1/report"),
            FacilitatorRoute::Report { workshop: id() }
        );
    }

    #[test]
    fn a_phones_route_is_not_the_facilitators() {
        for path in [
            "/j/K7MX2Q",
            "/w/demo-1/join",
            "/w/demo-1/remote",
            "/w//present",
            "/x",
        ] {
            assert!(!FacilitatorRoute::shows(path), "{path}");
            assert_eq!(
                FacilitatorRoute::of(path),
                FacilitatorRoute::NotFound,
                "{path}"
            );
        }
        assert!(FacilitatorRoute::shows("/w/demo-1/report"));
    }

    #[test]
    fn the_participant_path_is_a_participant_route() {
        assert_eq!(
            PhoneRoute::of(&PhoneRoute::participant_path("demo-1")),
            PhoneRoute::Participant {
                workshop: "demo-1".into()
            }
        );
    }

    #[test]
    fn the_detour_for_earlier_changes_is_the_window_and_asks_to_return() {
        let detour = PhoneRoute::earlier_changes_path("demo-1");
        let (path, query) = detour.split_once('?').expect("a query");
        assert_eq!(
            PhoneRoute::of(path),
            PhoneRoute::Window {
                workshop: "demo-1".into()
            }
        );
        assert!(PhoneRoute::returns_to_phone(query));
        assert!(PhoneRoute::returns_to_phone("x=1&then=phone"));
        for other in ["", "then=phoned", "then=", "xthen=phone"] {
            assert!(!PhoneRoute::returns_to_phone(other), "{other}");
        }
    }
}
