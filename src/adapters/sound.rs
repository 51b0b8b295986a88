//! Short synthesised cues through Web Audio: no audio file to download, nothing to cache.

use wasm_bindgen::JsValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// Entering the last minutes of a block: two soft high tones.
    Warning,
    /// Time is up: three lower, longer tones.
    TimeUp,
}

/// Plays `cue`. Browsers refuse audio before the first user gesture; the facilitator has
/// clicked Start by then, and a refused cue is simply silent.
pub fn play(cue: Cue) {
    let _ = try_play(cue);
}

fn try_play(cue: Cue) -> Result<(), JsValue> {
    let context = web_sys::AudioContext::new()?;
    let (frequency, tones, length) = match cue {
        Cue::Warning => (880.0, 2, 0.18),
        Cue::TimeUp => (523.25, 3, 0.4),
    };
    let start = context.current_time();
    for tone in 0..tones {
        let oscillator = context.create_oscillator()?;
        let gain = context.create_gain()?;
        oscillator.set_type(web_sys::OscillatorType::Sine);
        oscillator.frequency().set_value(frequency);
        let at = start + f64::from(tone) * (length + 0.12);
        gain.gain().set_value_at_time(0.0, at)?;
        gain.gain().linear_ramp_to_value_at_time(0.4, at + 0.02)?;
        gain.gain().linear_ramp_to_value_at_time(0.0, at + length)?;
        oscillator.connect_with_audio_node(&gain)?;
        gain.connect_with_audio_node(&context.destination())?;
        oscillator.start_with_when(at)?;
        oscillator.stop_with_when(at + length + 0.05)?;
    }
    Ok(())
}
