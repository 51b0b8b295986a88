//! Which screen a phone entry shows for an address. A phone entry serves a few fixed routes
//! (the relay answers only those with its page), so it reads the path itself instead of
//! linking a router: the router is about 40 KB of a phone's download (measured on a
//! Leptos counter with and without it, brotli), for two routes and one navigation.

/// A phone entry's screen, with the route's parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneRoute {
    /// `/j/CODE`: joining by code.
    Join { code: String },
    /// `/w/ID/join`: the participant's screen of workshop `ID`.
    Participant { workshop: String },
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
    fn the_participant_path_is_a_participant_route() {
        assert_eq!(
            PhoneRoute::of(&PhoneRoute::participant_path("demo-1")),
            PhoneRoute::Participant {
                workshop: "demo-1".into()
            }
        );
    }
}
