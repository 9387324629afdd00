// The scan's sound, made with Web Audio (no audio files): a short high
// double beep for ✔, a long low buzz for ✘, so a practitioner looking at the
// client hears which it was.

let ctx: AudioContext | undefined;

function tone(at: number, freq: number, seconds: number, type: OscillatorType): void {
  if (!ctx) return;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  osc.frequency.value = freq;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + seconds);
  osc.connect(gain).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + seconds + 0.02);
}

/** Plays the accepted (true) or refused (false) sound; silent if the browser has no audio. */
export function beep(accepted: boolean): void {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === "suspended") void ctx.resume();
    const t = ctx.currentTime;
    if (accepted) {
      tone(t, 1320, 0.07, "sine");
      tone(t + 0.1, 1760, 0.09, "sine");
    } else {
      tone(t, 196, 0.45, "square");
    }
  } catch {
    // No audio here: the screen still says it.
  }
}
