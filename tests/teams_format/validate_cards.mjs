// Checks every Teams activity that teams_card_samples wrote (one JSON file each) the way Teams
// would take it:
//  - the envelope: a message activity with one Adaptive Card attachment and no `text` (Teams
//    splits text and a card into two messages);
//  - the size: at most 28 KB, counted on the whole activity encoded as UTF-16;
//  - the card, with Microsoft's own Adaptive Cards library (the `adaptivecards` npm package,
//    pinned in package-lock.json): parsed for the version the card declares (at most 1.5, what
//    Teams renders), where any parse event fails — an unknown element or action type, a property
//    or value newer than that version, an invalid value — and then validated (duplicate ids,
//    missing ids or versions, more actions than Teams' host config allows: 6, …), where any
//    failure fails too. The library ignores properties it does not know, so every property of
//    every element and action is also checked against the library's own schema of its type;
//  - mentions: each `<at>…</at>` in a TextBlock has its msteams entity and each entity its text.
// First it makes sure these checks bite: a good card passes and each of a list of broken ones
// fails.
//
// Usage: node validate_cards.mjs DIR. Exits 77 (skipped) when the library is not installed
// (`npm ci --prefix tests/teams_format`).
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
let AC;
try {
  // The dist build runs without a DOM.
  AC = require("adaptivecards/dist/adaptivecards.js");
} catch (error) {
  console.log(`skipped: the adaptivecards package is not installed here (${error.code}); ` +
              "run `npm ci --prefix tests/teams_format`");
  process.exit(77);
}

const maxPostBytes = 28 * 1024;
const newestVersion = AC.Version.parse("1.5", new AC.SerializationContext());
const teamsHostConfig = new AC.HostConfig({ actions: { maxActions: 6 } });
const adaptiveCardType = "application/vnd.microsoft.card.adaptive";
const packageVersion = require("adaptivecards/package.json").version;

// ---- what the library knows of each type

// Each property the library's schema of `object` has, by name.
function schemaProperties(object) {
  const schema = object.getSchema();
  const properties = new Map();
  for (let i = 0; i < schema.getCount(); i++) properties.set(schema.getItemAt(i).name, schema.getItemAt(i));
  return properties;
}

// Properties the library parses itself rather than through its schema: the collections.
const collections = {
  AdaptiveCard: ["body", "actions"],
  ActionSet: ["actions"],
  Container: ["items"],
  Column: ["items"],
  ColumnSet: ["columns"],
  FactSet: ["facts"],
  ImageSet: ["images"],
  "Action.ShowCard": ["card"],
};

function knownProperties(type) {
  let object;
  if (type === "AdaptiveCard") object = new AC.AdaptiveCard();
  else if (AC.GlobalRegistry.elements.findByName(type)) object = AC.GlobalRegistry.elements.createInstance(type, AC.Versions.latest);
  else if (AC.GlobalRegistry.actions.findByName(type)) object = AC.GlobalRegistry.actions.createInstance(type, AC.Versions.latest);
  else return undefined;
  const properties = schemaProperties(object);
  for (const name of collections[type] ?? []) properties.set(name, undefined);
  return properties;
}

const choiceProperties = schemaProperties(new AC.Choice());

// The JSON type a property of the library's schema takes; the library itself reads "yes" as true.
function wrongType(property, value) {
  const expected = property instanceof AC.BoolProperty ? "boolean"
                 : property instanceof AC.NumProperty ? "number"
                 : property instanceof AC.StringProperty || property instanceof AC.EnumProperty ? "string"
                 : undefined;
  return expected !== undefined && typeof value !== expected ? expected : undefined;
}

// Every property of every typed object in the card is one its type has, with a value of the JSON
// type it takes; `data` (a button's own payload) and the root's `msteams` (Teams' extension) are
// not the card format's to check.
function unknownProperties(node, where, problems, isRoot = true) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => unknownProperties(item, `${where}[${i}]`, problems, false));
    return;
  }
  if (node === null || typeof node !== "object") return;
  const type = node.type;
  const known = typeof type === "string" ? knownProperties(type) : undefined;
  if (!known) {
    problems.push(`${where}: no such type ${JSON.stringify(type)}`);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "msteams" && isRoot && type === "AdaptiveCard") continue;
    if (!known.has(key)) problems.push(`${where}: ${type} has no property "${key}"`);
    const expected = known.get(key) && wrongType(known.get(key), value);
    if (expected) problems.push(`${where}: ${type}.${key} takes a ${expected}, not ${JSON.stringify(value)}`);
    if (key === "data") continue;
    if (key === "choices" && Array.isArray(value)) {
      value.forEach((choice, i) => {
        for (const k of Object.keys(choice)) {
          if (!choiceProperties.has(k)) problems.push(`${where}.choices[${i}]: a choice has no property "${k}"`);
        }
      });
    } else if (typeof value === "object") {
      unknownProperties(value, `${where}.${key}`, problems, false);
    }
  }
}

// ---- the checks

function utf16Bytes(text) {
  return text.length * 2;  // a JavaScript string is UTF-16: its length counts code units
}

function checkEnvelope(activity, problems) {
  if (activity.type !== "message") problems.push(`activity type is ${JSON.stringify(activity.type)}, not "message"`);
  if ("text" in activity) problems.push("the activity has `text` besides its card: Teams would split it in two");
  if ("summary" in activity && typeof activity.summary !== "string") problems.push("summary is not a string");
  for (const key of Object.keys(activity)) {
    if (!["type", "summary", "attachments", "text"].includes(key)) problems.push(`unexpected activity field "${key}"`);
  }
  const attachments = activity.attachments;
  if (!Array.isArray(attachments) || attachments.length !== 1) {
    problems.push("the activity must carry exactly one attachment");
    return undefined;
  }
  if (attachments[0].contentType !== adaptiveCardType) problems.push(`attachment contentType is ${attachments[0].contentType}`);
  return attachments[0].content;
}

function checkCard(content, problems) {
  const version = AC.Version.parse(content.version, new AC.SerializationContext());
  if (!version || !version.isValid) {
    problems.push(`card version ${JSON.stringify(content.version)} is not a version`);
    return;
  }
  if (version.compareTo(newestVersion) > 0) problems.push(`card version ${version} is newer than 1.5`);

  const context = new AC.SerializationContext(version);
  const card = new AC.AdaptiveCard();
  card.hostConfig = teamsHostConfig;
  card.parse(content, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`validation: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  unknownProperties(content, "card", problems);
}

function textsOf(node, texts = []) {
  if (Array.isArray(node)) node.forEach((item) => textsOf(item, texts));
  else if (node && typeof node === "object") {
    if (node.type === "TextBlock" && typeof node.text === "string") texts.push(node.text);
    for (const [key, value] of Object.entries(node)) if (key !== "msteams") textsOf(value, texts);
  }
  return texts;
}

function checkMentions(content, problems) {
  const texts = textsOf(content);
  const entities = content.msteams?.entities ?? [];
  const entityTexts = new Set();
  for (const entity of entities) {
    if (entity.type !== "mention" || typeof entity.text !== "string" || typeof entity.mentioned?.id !== "string" ||
        typeof entity.mentioned?.name !== "string") {
      problems.push(`malformed mention entity ${JSON.stringify(entity)}`);
      continue;
    }
    entityTexts.add(entity.text);
    if (!texts.some((text) => text.includes(entity.text))) problems.push(`mention ${entity.text} is in no TextBlock`);
  }
  for (const text of texts) {
    for (const tag of text.match(/<at>.*?<\/at>/g) ?? []) {
      if (!entityTexts.has(tag)) problems.push(`${tag} has no mention entity`);
    }
  }
}

// All that is wrong with one activity, as Teams would take it.
function problemsOf(text) {
  const problems = [];
  const bytes = utf16Bytes(text);
  if (bytes > maxPostBytes) problems.push(`${bytes} bytes as UTF-16, past Teams' ${maxPostBytes}`);
  let activity;
  try {
    activity = JSON.parse(text);
  } catch (error) {
    problems.push(`not JSON: ${error.message}`);
  }
  const content = activity && checkEnvelope(activity, problems);
  if (content) {
    checkCard(content, problems);
    checkMentions(content, problems);
  }
  return { problems, bytes, version: content?.version };
}

// The checks must bite: a good activity passes, and each of these breakages of it fails. (Were
// the library to stop reporting, say after an upgrade, every card would pass unseen.)
function checkTheChecks() {
  const good = () => ({
    type: "message",
    summary: "ENG-42 has gone quiet",
    attachments: [{ contentType: adaptiveCardType, content: {
      type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.3",
      body: [
        { type: "TextBlock", text: "Hi <at>Ana</at>", wrap: true },
        { type: "ActionSet", actions: [
          { type: "Action.Submit", title: "Done", style: "positive", data: { microalign: { action_id: "a", value: "v" } } },
          { type: "Action.ShowCard", title: "Post an update", card: { type: "AdaptiveCard",
            body: [{ type: "Input.ChoiceSet", id: "state.1", label: "State", style: "compact",
                     choices: [{ title: "on track", value: "on_track" }] },
                   { type: "Input.Text", id: "note.1", label: "Note", isMultiline: true, maxLength: 3000 }],
            actions: [{ type: "Action.Submit", title: "Post", data: {} }] } }] }],
      msteams: { entities: [{ type: "mention", text: "<at>Ana</at>", mentioned: { id: "29:a", name: "Ana" } }] },
    } }],
  });
  const card = (a) => a.attachments[0].content;
  const form = (a) => card(a).body[1].actions[1].card;
  const breakages = {
    "text besides the card": (a) => { a.text = "hi"; },
    "two attachments": (a) => { a.attachments.push(a.attachments[0]); },
    "past 28 KB": (a) => { card(a).body[0].text = "x".repeat(15000); },
    "a version past 1.5": (a) => { card(a).version = "1.6"; },
    "a property newer than the card": (a) => { card(a).version = "1.2"; },
    "a misspelt property": (a) => { card(a).body[0].wrapp = true; },
    "a property of the wrong type": (a) => { card(a).body[0].wrap = "yes"; },
    "a value not in the list": (a) => { card(a).body[1].actions[0].style = "primary"; },
    "an unknown element": (a) => { card(a).body.push({ type: "Bogus" }); },
    "a duplicate id": (a) => { form(a).body[1].id = "state.1"; },
    "an input without an id": (a) => { delete form(a).body[0].id; },
    "a misspelt choice": (a) => { form(a).body[0].choices[0].titel = "x"; },
    "more actions than Teams shows": (a) => { card(a).body[1].actions.push(...Array(5).fill({ type: "Action.Submit", title: "x" })); },
    "a mention without its entity": (a) => { delete card(a).msteams; },
    "an entity without its mention": (a) => { card(a).body[0].text = "Hi Ana"; },
  };
  const problems = problemsOf(JSON.stringify(good())).problems;
  if (problems.length > 0) throw new Error(`the checks reject a good card: ${problems.join("; ")}`);
  for (const [name, breakage] of Object.entries(breakages)) {
    const broken = good();
    breakage(broken);
    if (problemsOf(JSON.stringify(broken)).problems.length === 0) throw new Error(`the checks let through ${name}`);
  }
  return Object.keys(breakages).length;
}

// ---- run

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node validate_cards.mjs DIR");
  process.exit(2);
}
const files = readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
if (files.length === 0) {
  console.error(`no cards in ${dir}`);
  process.exit(1);
}

console.log(`adaptivecards ${packageVersion}: the checks reject all ${checkTheChecks()} broken variants of a good card`);
console.log(`${files.length} activities in ${dir}`);
let passed = 0;
let failed = 0;
let largest = { name: "", bytes: 0 };
for (const name of files) {
  const { problems, bytes, version } = problemsOf(readFileSync(path.join(dir, name), "utf8"));
  if (bytes > largest.bytes) largest = { name, bytes };
  if (problems.length === 0) {
    passed++;
    console.log(`ok      ${name} (${bytes} bytes as UTF-16, version ${version})`);
  } else {
    failed++;
    console.log(`FAILED  ${name}`);
    for (const problem of problems) console.log(`        ${problem}`);
  }
}
console.log(`largest: ${largest.name}, ${largest.bytes} of ${maxPostBytes} bytes`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
