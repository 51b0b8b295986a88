//! Adapters wrap browser APIs behind small typed interfaces. Each handle owns its browser
//! resources (listeners, channels, timers) and releases them on drop or cleanup, and every
//! failure is a typed error the screens can put into plain words.

pub mod broadcast;
pub mod clock;
pub mod download;
pub mod first_screen;
pub mod history;
pub mod http;
pub mod keyboard;
pub mod network;
pub mod offline;
pub mod random;
pub mod sound;
pub mod storage;
pub mod websocket;
pub mod window;
pub mod window_lock;
