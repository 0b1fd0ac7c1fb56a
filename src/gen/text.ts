/**
 * Word lists and sentence builders for generated titles and notes. A share of the text is
 * non-ASCII (German, French, Greek, Japanese) and emoji, so byte offsets and CRCs are exercised.
 */
import type { Rng } from './prng.ts';

const VERBS = [
  'Buy',
  'Call',
  'Email',
  'Book',
  'Review',
  'Prepare',
  'Fix',
  'Plan',
  'Write',
  'Order',
  'Pay',
  'Clean',
  'Check',
  'Send',
  'Update',
  'Draft',
  'Renew',
  'Schedule',
  'Return',
  'Pick up',
  'Organise',
  'Read',
  'Backup',
  'Cancel',
  'Print',
  'Sign',
  'Ask about',
  'Research',
  'Install',
  'Überweisen',
  'Kündigen',
  'Réserver',
] as const;

const OBJECTS = [
  'oat milk',
  'the plumber',
  'flights to Zürich',
  'Q3 budget',
  'dentist appointment',
  'rent',
  'garage door',
  'birthday present for Anna',
  'tax return',
  'car insurance',
  'passport',
  'library books',
  'quarterly report',
  'kitchen tiles',
  'bike tyres',
  'Café menu',
  'invoice #4711',
  'Müller & Söhne offer',
  'slides for Monday',
  'photos from Kyōto',
  'résumé',
  'the naïve plan',
  'Straße permit',
  'Ωmega watch service',
  'groceries 🛒',
  'concert tickets 🎶',
  'team lunch 🍕',
  'server certificates',
  'NAS disks',
  'guest list',
  'wedding RSVP 💌',
  'Größe 42 shoes',
  '東京 hotel',
  'laptop charger',
  'new glasses 👓',
  'vaccination',
  'gym membership',
] as const;

const SUFFIXES = [
  '',
  '',
  '',
  '',
  '',
  ' today',
  ' before Friday',
  ' (urgent)',
  ' again',
  ' – follow up',
  ' 🚀',
  ' ✅',
  ' for Mum',
  ' w/ Jörg',
  ' asap',
] as const;

const SENTENCES = [
  'Remember to bring the receipt.',
  'Ask for the 10 % discount.',
  'Native Task7 note α 🚀',
  'Second line.',
  'Call before 5 pm, otherwise they close.',
  'Größe prüfen und Farbe wählen.',
  'Le café ouvre à 8 h.',
  'See https://example.com/docs for details.',
  'Password is in the vault, not here.',
  'Budget: 250 € max.',
  '東京駅で待ち合わせ。',
  'Pack: charger 🔌, passport 🛂, snacks 🍫.',
  'Δ between offers is small.',
  'Follow up if no answer by Thursday.',
  '- [ ] compare prices\n- [ ] order',
  'Notes from the meeting:',
  'Keep it simple.',
  'Emoji test 👩‍💻🧑🏽‍🚀 done.',
  'Matte finish',
  'Line with "quotes" and \\backslash\\.',
] as const;

const WORDS = [
  'only',
  'urgent',
  'später',
  'maybe',
  'déjà',
  'vu',
  'twice',
  'fixed',
  '✨',
  'OK',
  'café',
  'noted',
  'done',
  'Ü',
  'next week',
  '🎉',
  'TBD',
  'α',
  'β',
  '日本',
] as const;

const AREA_NAMES = [
  'Home',
  'Work',
  'Family',
  'Health 🏃',
  'Finances',
  'Side projects',
  'Garten',
  'Reisen ✈️',
  'Learning',
  'Errands',
  'Admin',
  'Friends',
] as const;

const PROJECT_NAMES = [
  'Renovation',
  'Move to Berlin',
  'Website relaunch',
  'Tax 2025',
  'Summer trip 🏖️',
  'Wedding planning 💍',
  'Kitchen remodel',
  'Learn Japanese 日本語',
  'Marathon prep',
  'Garage sale',
  'Q2 roadmap',
  'Onboarding Émilie',
  'Photo book',
  'Balkon bepflanzen',
  'Car sale',
  'Home server',
  'Conference talk',
  'Thesis chapter 3',
  'Birthday party 🎂',
] as const;

const HEADING_NAMES = [
  'Planning',
  'Shopping',
  'Before',
  'During',
  'After',
  'Ideas 💡',
  'Phase 1',
  'Phase 2',
  'Waiting for',
  'Done soon',
  'Vorbereitung',
  'Misc',
] as const;

const CHECKLIST_NAMES = [
  'White',
  'Check price',
  'Compare offers',
  'Bring ID',
  'Print form',
  'Sign',
  'Send copy',
  'Milk',
  'Eggs',
  'Brot',
  'Käse',
  'Tomatoes 🍅',
  'Call back',
  'Pay deposit',
  'Pack bag',
  'Charger',
  'Umbrella ☂️',
  'Confirm time',
  'Café au lait',
  'Backup first',
] as const;

const TAG_NAMES = [
  'Errand',
  'Home',
  'Office',
  'Phone',
  'Computer',
  'Waiting',
  'Someday',
  'Quick',
  'Deep work',
  'Energy: low',
  'Priorität',
  'Shopping 🛒',
  'Read',
  'Family',
  'Finance',
  'Health',
] as const;

const TEMPLATE_TITLES = [
  'Water the plants 🪴',
  'Weekly review',
  'Pay rent',
  'Take out the trash',
  'Backup laptop',
  'Call Oma',
  'Check bank statements',
  'Stand-up notes',
  'Clean fridge',
  'Renew parking permit',
] as const;

/** A to-do title such as "Book flights to Zürich before Friday". */
export function todoTitle(rng: Rng): string {
  return `${rng.pick(VERBS)} ${rng.pick(OBJECTS)}${rng.pick(SUFFIXES)}`;
}

/** A project title. */
export function projectTitle(rng: Rng): string {
  const base = rng.pick(PROJECT_NAMES);
  return rng.chance(0.3) ? `${base} ${rng.int(2, 9)}` : base;
}

/** A heading title. */
export function headingTitle(rng: Rng): string {
  return rng.pick(HEADING_NAMES);
}

/** An area title. */
export function areaTitle(rng: Rng): string {
  return rng.pick(AREA_NAMES);
}

/** A tag title. */
export function tagTitle(rng: Rng): string {
  const base = rng.pick(TAG_NAMES);
  return rng.chance(0.25) ? `${base} ${rng.int(1, 99)}` : base;
}

/** A checklist item title. */
export function checklistTitle(rng: Rng): string {
  return rng.pick(CHECKLIST_NAMES);
}

/** A repeating to-do title. */
export function templateTitle(rng: Rng): string {
  return rng.pick(TEMPLATE_TITLES);
}

/** One sentence of note text. */
export function sentence(rng: Rng): string {
  return rng.pick(SENTENCES);
}

/** A short word or phrase for note edits. */
export function word(rng: Rng): string {
  return rng.pick(WORDS);
}

/** A note of one to four lines. */
export function noteText(rng: Rng): string {
  const lines = rng.int(1, 4);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(sentence(rng));
  return out.join('\n');
}
