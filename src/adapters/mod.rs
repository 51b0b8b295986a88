//! Adapters wrap browser APIs behind small typed interfaces. Each handle owns its browser
//! resources (listeners, channels) and releases them on drop, and every failure is a typed
//! error the screens can put into plain words.

pub mod broadcast;
pub mod storage;
