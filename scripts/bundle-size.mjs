// Reports each entry of the release build (its HTML with the inlined stylesheets, and the
// wasm and js it names, compressed with brotli at the level the relay serves) against its budget, and fails above its ceiling.
//   node scripts/bundle-size.mjs [dist]
//
// Budgets (the phones-first issue): the participant's entry, everything a phone downloads
// before its first screen, 120 KB; the facilitator's app 300 KB.
//
// Ceilings stop growth from going unnoticed while a budget is still missed: the size when
// the entry's ceiling was last set, plus a little for brotli's noise on small changes. Lower
// a ceiling as each size pass lands; raise one only with a measured reason in the commit.
// History: the single app reached 550.9 KB (a ceiling of 554 KB) with the trust rules. The
// split into two entries then took the participant's screens out of the facilitator's app
// (-24 KB) and gave the phone its own binary without the console, projector, report and
// import code: 360.8 KB and 529.6 KB with the first UX fixes of the morning's issue. Flat
// readers for the wire's error and refusal enums (instead of serde's tagged-enum readers)
// then took 14 and 11 KB off: 348.3 and 522.3 KB with the rest of those fixes, so ceilings
// of 351 and 525 KB. Per-entry stylesheets and minified pages then took 6.1 and 2.5 KB off
// (345.9 and 522.4 KB). The facilitator's ceiling was raised once for features, not drift:
// the schedule proposals, the start re-base dialog and the calendar file (#16) measured
// +16.4 KB in the facilitator's entry (523.4 -> 539.8 KB, same build, same tool; the
// participant's +1.8 KB fits its ceiling), so 543 KB. See the README's "Sizes and first
// paint" for what is left. The facilitator's phone remote (#16) is an entry of its own, so
// neither a participant's phone nor the laptop downloads its screen; its budget is the
// phone's, and its ceiling the size it had when it was split out (296.2 KB, so 299 KB). The
// console's part of it (the panel that registers, shows and revokes the remote key, its
// strings, the remote request) measured +6.6 KB in the facilitator's entry (539.8 -> 546.4
// KB, same tool), so that ceiling is 549 KB; the participant's entry took +2.0 KB for the
// new credential kind and strings (347.8 -> 349.8 KB) and stays under its 351 KB.
// Then no entry links a router (each reads its address itself, see src/logic/routes.rs):
// participant 350.6 -> 314.3 KB, remote 296.5 -> 257.9 KB, facilitator 546.4 -> 506.8 KB,
// so ceilings of 317, 260 and 509 KB. A hand-written reader for the ops' bodies
// (crates/core/src/op/read.rs) then took 1-3 KB off each: 311.8, 256.7 and 503.6 KB, so
// ceilings of 314, 259 and 506 KB. The remote's ceiling was raised for a feature: it asks,
// like the console, whether to move the plan when it starts the workshop late (the dialog,
// core's rebase and its strings) at +3.7 KB (256.5 -> 260.2 KB, same build, same tool), so
// 263 KB. The phone then dropped its replica (phone/: the relay sends the view, the phone
// sends intents): 311.5 -> 227.1 KB, so a ceiling of 230 KB; the replica-based participant
// screens moved to the window entry (308.5 KB, the phone's old ceiling of 314 KB less 3).
// The protocol's phone messages cost the remote +1.5 KB (261.7 KB, under its ceiling).
// Then Unicode's case tables left the phone and the remote: a connection state named by
// Debug-printing and lowercasing it, the phone's file name (now named by the relay) and the
// import errors' capitalised first letter (out of the shared table, which every entry
// links) pulled them in: participant 215.2, remote 251.1, window 305.3, facilitator
// 504.7 KB, so ceilings of 216, 252, 306 and 505 KB. The phone's lead while the room votes
// (core's PhoneLead::Votes, the rule and its CSS) then cost the facilitator +0.5 KB (505.2 KB,
// same tool): its ceiling goes back to 506 KB. The phone then took +1.2 KB (216.4 KB) for
// showing its screens in one tab per workshop (two tabs would number their intents alike
// and the relay would take one for a resend of the other: a note lost) and for saving its
// view at most twice a second: a ceiling of 217 KB. A phone that ran the replica-based
// build keeps what it wrote offline as ops, which the phone's entry cannot send: it goes
// once through the window entry, which sends them and returns. That cost the phone +1.4 KB
// (217.8 KB; the outbox is read with the browser's JSON.parse, serde's skip-any reader was
// 0.45 KB more, and the three texts are outside the shared table, where they cost the
// facilitator 2.1 KB) and the window +1.0 KB (306.7 KB): ceilings of 218 and 307 KB.
// Then the phone's screens read their own part of the string table (i18n::PhoneStrings):
// 209.4 KB, so a ceiling of 210 KB. A phone screen that reads the whole table
// (`i18n.t()`, `tr`) links it again, 8.4 KB, and fails here. The remote's screens then read
// only the phone's part, the remote's and the schedule's (Lang::remote, Lang::schedule):
// 251.2 -> 244.0 KB, so a ceiling of 245 KB. The window's screens followed (the group
// choice and the inline editor take phone strings as labels): 306.8 -> 297.9 KB, inside
// its 300 KB budget, so a ceiling of 299 KB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const ENTRIES = [
  { html: 'participant.html', name: 'participant', budgetKb: 120, ceilingKb: Number(process.env.BIJEEN_PARTICIPANT_CEILING_KB ?? 210) },
  { html: 'remote.html', name: 'remote', budgetKb: 120, ceilingKb: Number(process.env.BIJEEN_REMOTE_CEILING_KB ?? 245) },
  // A participant's window in the facilitator's own browser: the participant's screens
  // with a replica (what the phone's entry was before it dropped the replica), so the
  // facilitator's budget and the phone's old ceiling.
  { html: 'window.html', name: 'window', budgetKb: 300, ceilingKb: Number(process.env.BIJEEN_WINDOW_CEILING_KB ?? 299) },
  { html: 'index.html', name: 'facilitator', budgetKb: 300, ceilingKb: Number(process.env.BIJEEN_FACILITATOR_CEILING_KB ?? 506) },
];
const dir = process.argv[2] ?? 'dist';

/** The js, wasm and css files an entry's HTML names (links and the loader's imports); the
 * HTML itself is counted too, since it carries the inlined stylesheets. */
function assetsOf(html) {
  const names = new Set();
  for (const match of html.matchAll(/["'](\/[^"'\s?#]+\.(?:wasm|js|css))["']/g)) names.add(match[1].slice(1));
  return [...names].sort();
}

let failed = false;
for (const entry of ENTRIES) {
  let html;
  try {
    html = readFileSync(join(dir, entry.html), 'utf8');
  } catch (error) {
    console.error(`${entry.html} not found in ${dir}: build the app with scripts/build-app.sh (${error.code})`);
    failed = true;
    continue;
  }
  const assets = [entry.html, ...assetsOf(html)];
  if (!assets.some((name) => name.endsWith('.wasm'))) {
    console.error(`${entry.html} names no wasm: not a Trunk build?`);
    failed = true;
    continue;
  }
  let total = 0;
  console.log(`${entry.name} entry (${entry.html}):`);
  for (const name of assets) {
    const raw = readFileSync(join(dir, name));
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    total += br;
    console.log(`  ${name.padEnd(46)} ${String(raw.length).padStart(9)} B raw ${String(br).padStart(8)} B brotli`);
  }
  const kb = total / 1024;
  console.log(`  ${entry.name} total (brotli): ${kb.toFixed(1)} KB; budget ${entry.budgetKb} KB, ceiling ${entry.ceilingKb} KB`);
  if (kb > entry.budgetKb) console.log(`  OVER BUDGET by ${(kb - entry.budgetKb).toFixed(1)} KB`);
  if (kb > entry.ceilingKb) {
    console.error(`  the ${entry.name} entry is over its ${entry.ceilingKb} KB ceiling`);
    failed = true;
  }
}
if (failed) process.exit(1);
