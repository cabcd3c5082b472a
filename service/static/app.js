// The analyst page: send the article to /v1/documents, draw the paragraphs, explain on demand.
"use strict";

const KEY_STORAGE = "geostance-api-key";
// Fixed colours for the standard stance labels, so red/blue/gold mean the same thing in every session.
const KNOWN_TONES = { "pro-Russia": 0, "pro-West": 1, "balancing": 2 };
const SENTIMENT_SIGNS = { negative: "−", neutral: "○", positive: "+" };
// Contributions below half a percentage point are noise, not evidence.
const HIGHLIGHT_THRESHOLD = 0.005;

const state = { model: null, document: null, explanations: {}, primary: "stance", secondary: "sentiment" };
const $ = (id) => document.getElementById(id);

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of [].concat(children)) {
    node.append(child);
  }
  return node;
}

function percent(p) {
  return `${Math.round(p * 100)}%`;
}

function points(delta) {
  const value = (delta * 100).toFixed(1);
  return `${delta >= 0 ? "+" : "−"}${value.replace("-", "")} pts`;
}

function toneOf(task, label) {
  if (task === state.primary && label in KNOWN_TONES) return KNOWN_TONES[label];
  const labels = (state.model && state.model.tasks[task]) || [];
  const index = labels.indexOf(label);
  return index < 0 ? 5 : 3 + (index % 3);
}

function shortName(label) {
  const core = label.replace(/^pro-/i, "");
  return core.charAt(0).toUpperCase();
}

// ---- talking to the API ----

function authHeaders() {
  const key = sessionStorage.getItem(KEY_STORAGE);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

function plainMessage(status, detail) {
  const said = detail ? ` (the server said: ${detail})` : "";
  if (status === 401) return `This server needs an API key. Open "API key" above, enter your key and try again${said}.`;
  if (status === 413) return "The article is too large to send in one go. Split it into smaller parts and analyze each.";
  if (status === 422) return `The server could not use this text: ${detail || "the input is not valid"}.`;
  if (status === 429) return "The server is busy with other requests. Wait a moment and try again.";
  if (status === 503) return "The model is still loading. Wait a few seconds and try again.";
  if (status >= 500) return `The server failed while processing the text${said}. Try again, or report it.`;
  return `The request was refused with status ${status}${said}.`;
}

async function api(path, body) {
  const options = { headers: { ...authHeaders() } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    throw new Error("Could not reach the geostance server. Check that it is running and try again.");
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch (err) {
    payload = null;
  }
  if (!response.ok) {
    const detail = payload && payload.error ? payload.error.message : "";
    const error = new Error(plainMessage(response.status, detail));
    error.status = response.status;
    throw error;
  }
  return payload;
}

function setStatus(text) {
  $("status").textContent = text;
}

function showError(text) {
  const box = $("error");
  box.textContent = text;
  box.hidden = !text;
}

// ---- the model line ----

function describeScore(metrics, task) {
  for (const [split, name] of [["test", "held-out test set"], ["dev", "dev set (no test-set score was recorded)"]]) {
    const score = metrics && metrics[split] && metrics[split][task];
    if (score && typeof score.macro_f1 === "number") {
      const ci = score.macro_f1_ci95 ? ` (95% CI ${score.macro_f1_ci95.map((v) => v.toFixed(2)).join("–")})` : "";
      return `${task} macro-F1 ${score.macro_f1.toFixed(2)}${ci} on the ${name}`;
    }
  }
  return `no measured ${task} score was recorded for this model`;
}

async function loadModel() {
  try {
    const model = await api("/v1/model");
    state.model = model;
    const tasks = Object.keys(model.tasks);
    state.primary = tasks.includes("stance") ? "stance" : tasks[0];
    state.secondary = tasks.includes("sentiment") ? "sentiment" : tasks.find((t) => t !== state.primary) || null;
    $("model-info").textContent = `Model ${model.id}: ${describeScore(model.metrics, state.primary)}.`;
  } catch (err) {
    $("model-info").textContent = `Model details unavailable. ${err.message}`;
    if (err.status === 401) $("key-box").open = true;
  }
}

// ---- analysis ----

async function analyze(event) {
  event.preventDefault();
  const text = $("text").value;
  showError("");
  if (!text.trim()) {
    showError("Paste an article (or drop a .txt file) into the text box first.");
    $("text").focus();
    return;
  }
  const button = $("analyze");
  button.disabled = true;
  setStatus("Analyzing…");
  const started = performance.now();
  try {
    if (!state.model) await loadModel();
    const doc = await api("/v1/documents", { text });
    state.document = doc;
    state.explanations = {};
    render(doc);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setStatus(`Analyzed ${doc.paragraphs.length} paragraph${doc.paragraphs.length === 1 ? "" : "s"} in ${seconds} s.`);
  } catch (err) {
    setStatus("");
    showError(err.message);
    if (err.status === 401) $("key-box").open = true;
  } finally {
    button.disabled = false;
  }
}

function render(doc) {
  renderSummary(doc);
  renderStrip(doc);
  renderLegend();
  const list = $("paragraphs");
  list.replaceChildren(...doc.paragraphs.map(renderParagraph));
  $("results").hidden = false;
}

function renderSummary(doc) {
  const task = state.primary;
  const summary = doc.summary[task];
  const count = doc.summary.paragraphs;
  const shares = Object.entries(summary.share).sort((a, b) => b[1] - a[1]);
  const bar = element("div", { className: "share", role: "img",
    "aria-label": `Share of text by ${task}: ${shares.map(([l, s]) => `${l} ${percent(s)}`).join(", ")}` });
  for (const [label, share] of shares) {
    const part = element("span", { className: `tone-${toneOf(task, label)}`, title: `${label}: ${percent(share)}` });
    part.style.setProperty("width", `${share * 100}%`);
    bar.append(part);
  }
  const lines = [
    element("p", {}, [element("strong", { text: `Overall ${task}: ${summary.dominant}` }),
      ` — ${shares.map(([l, s]) => `${l} ${percent(s)}`).join(", ")} of the text (weighted by paragraph length).`]),
    bar,
    element("p", { text: `${count} paragraph${count === 1 ? "" : "s"}, ${doc.summary.characters.toLocaleString()} characters; `
      + `${summary.shifts} change${summary.shifts === 1 ? "" : "s"} of ${task} along the way.` }),
  ];
  const secondary = state.secondary && doc.summary[state.secondary];
  if (secondary) {
    const parts = Object.entries(secondary.share).sort((a, b) => b[1] - a[1]).map(([l, s]) => `${l} ${percent(s)}`);
    lines.push(element("p", { text: `Overall ${state.secondary}: ${secondary.dominant} (${parts.join(", ")}).` }));
  }
  $("summary").replaceChildren(...lines);
}

function renderStrip(doc) {
  const task = state.primary;
  const cells = doc.paragraphs.map((p) => {
    const result = p[task];
    const description = `Paragraph ${p.index + 1}: ${result.label}, ${percent(result.scores[result.label])} confident`;
    const button = element("button", { type: "button", className: `tone-${toneOf(task, result.label)}`,
      title: description, "aria-label": description, text: shortName(result.label) });
    button.addEventListener("click", () => {
      const target = $(`p-${p.index}`);
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    });
    return element("li", {}, button);
  });
  $("strip").replaceChildren(...cells);
}

function renderLegend() {
  const task = state.primary;
  const labels = (state.model && state.model.tasks[task]) || Object.keys(state.document.summary[task].share);
  $("legend").replaceChildren(...labels.map((label) =>
    element("li", {}, [element("span", { className: `tone-${toneOf(task, label)}`, "aria-hidden": "true" }),
      `${shortName(label)} = ${label}`])));
}

function renderParagraph(p) {
  const task = state.primary;
  const result = p[task];
  const confidence = result.scores[result.label];
  const bar = element("span", { className: "bar", "aria-hidden": "true" }, element("span"));
  bar.firstChild.style.setProperty("width", `${confidence * 100}%`);
  const meta = [
    element("span", { className: "index", text: `¶ ${p.index + 1}` }),
    element("span", { className: "chip", text: result.label }),
    element("span", { className: "confidence" }, [bar, `${percent(confidence)} confident`]),
  ];
  if (state.secondary && p[state.secondary]) {
    const mood = p[state.secondary];
    const sign = SENTIMENT_SIGNS[mood.label] || "";
    meta.push(element("span", { className: "badge", title: `${state.secondary}: ${mood.label}, ${percent(mood.scores[mood.label])}`,
      text: `${sign} ${state.secondary}: ${mood.label}`.trim() }));
  }
  const why = element("button", { type: "button", className: "why secondary", "aria-expanded": "false",
    "aria-controls": `why-${p.index}`, text: "Why?" });
  why.addEventListener("click", () => toggleExplanation(p, why));
  meta.push(why);
  return element("li", { id: `p-${p.index}`, className: `paragraph tone-${toneOf(task, result.label)}`,
    "data-stance": p.stance ? p.stance.label : result.label, tabindex: "-1",
    "aria-label": `Paragraph ${p.index + 1}, ${task} ${result.label}` }, [
    element("div", { className: "meta" }, meta),
    element("p", { className: "body", text: p.text }),
    element("div", { id: `why-${p.index}`, className: "explanation", hidden: "" }),
  ]);
}

// ---- explanations ----

async function toggleExplanation(p, button) {
  const panel = $(`why-${p.index}`);
  if (state.explanations[p.index]) {
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Hide why" : "Why?";
    return;
  }
  button.disabled = true;
  button.textContent = "Explaining…";
  setStatus(`Explaining paragraph ${p.index + 1}…`);
  try {
    const explanation = await api("/v1/explain", { text: p.text, task: state.primary });
    state.explanations[p.index] = explanation;
    highlight(p, explanation);
    panel.replaceChildren(...describeExplanation(explanation));
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Hide why";
    setStatus(`Explanation of paragraph ${p.index + 1} ready (${explanation.evaluations} variants scored).`);
  } catch (err) {
    button.textContent = "Why?";
    setStatus("");
    showError(err.message);
  } finally {
    button.disabled = false;
  }
}

function direction(contribution) {
  if (contribution >= HIGHLIGHT_THRESHOLD) return "supports";
  if (contribution <= -HIGHLIGHT_THRESHOLD) return "against";
  return "";
}

function highlight(p, explanation) {
  // Cut the text at every sentence and phrase boundary, then wrap each piece in its sentence's style.
  const text = p.text;
  const cuts = new Set([0, text.length]);
  for (const piece of explanation.sentences.concat(explanation.spans)) {
    cuts.add(piece.start);
    cuts.add(piece.end);
  }
  const edges = [...cuts].sort((a, b) => a - b);
  const body = $(`p-${p.index}`).querySelector(".body");
  const nodes = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [start, end] = [edges[i], edges[i + 1]];
    const sentence = explanation.sentences.find((s) => s.start <= start && end <= s.end);
    const phrase = explanation.spans.find((s) => s.start <= start && end <= s.end && direction(s.contribution));
    let node = document.createTextNode(text.slice(start, end));
    if (phrase) {
      node = element("mark", { className: `phrase ${direction(phrase.contribution)}`,
        title: `Removing "${phrase.text}" changes ${explanation.label} by ${points(-phrase.contribution)}` }, node);
    }
    if (sentence && direction(sentence.contribution)) {
      node = element("span", { className: `sentence ${direction(sentence.contribution)}`,
        title: `This sentence: ${points(sentence.contribution)} for ${explanation.label}` }, node);
    }
    nodes.push(node);
  }
  body.replaceChildren(...nodes);
}

function describeExplanation(explanation) {
  const label = explanation.label;
  const sentences = [...explanation.sentences].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const items = sentences.slice(0, 3).map((s) =>
    element("li", {}, [element("strong", { text: points(s.contribution) }),
      ` ${s.contribution >= 0 ? "supports" : "pulls away from"} ${label}: “${s.text}”`]));
  const phrases = explanation.spans.filter((s) => direction(s.contribution))
    .map((s) => `“${s.text}” (${points(s.contribution)})`);
  return [
    element("p", {}, [element("strong", { text: `Why ${label} (${percent(explanation.probability)})? ` }),
      "Each sentence was removed in turn and the paragraph re-scored; points are how much the probability of "
      + `${label} drops without it.`]),
    element("ol", {}, items),
    element("p", { text: phrases.length ? `Most influential phrases: ${phrases.join("; ")}.` : "No single phrase moved the prediction by half a point or more." }),
    element("p", { className: "hint" }, [
      element("span", { className: "key sentence supports", text: "highlighted" }), "sentence supports the label; ",
      element("span", { className: "key sentence against", text: "dotted" }), "sentence pulls away; ",
      element("mark", { className: "key phrase", text: "underlined" }), "phrase that moved it most.",
    ]),
  ];
}

// ---- downloads ----

function csvCell(value) {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(doc) {
  const tasks = Object.keys(doc.summary).filter((key) => doc.summary[key] && doc.summary[key].share);
  const header = ["paragraph", "start", "end"];
  for (const task of tasks) {
    header.push(task, `${task}_confidence`, ...Object.keys(doc.paragraphs[0][task].scores).map((l) => `${task}:${l}`));
  }
  header.push("text");
  const rows = doc.paragraphs.map((p) => {
    const row = [p.index + 1, p.start, p.end];
    for (const task of tasks) {
      const result = p[task];
      row.push(result.label, result.scores[result.label], ...Object.values(result.scores));
    }
    row.push(p.text);
    return row.map(csvCell).join(",");
  });
  return [header.map(csvCell).join(","), ...rows].join("\r\n") + "\r\n";
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = element("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  setStatus(`Saved ${name}.`);
}

function fileStem() {
  return `geostance-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}`;
}

// ---- input: typing, files, the key ----

function readFile(file) {
  showError("");
  if (!file) return;
  if (!/\.txt$/i.test(file.name) && !file.type.startsWith("text/")) {
    showError(`"${file.name}" is not a plain-text file. Save the article as .txt and try again.`);
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    $("text").value = reader.result;
    updateCount();
    setStatus(`Loaded ${file.name}. Press Analyze.`);
  };
  reader.onerror = () => showError(`Could not read "${file.name}".`);
  reader.readAsText(file);
}

function updateCount() {
  $("text-count").textContent = `${$("text").value.length.toLocaleString()} characters`;
}

function wireInput() {
  const area = $("text");
  area.addEventListener("input", updateCount);
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("form").requestSubmit();
  });
  area.addEventListener("dragover", (event) => {
    event.preventDefault();
    area.classList.add("dragging");
  });
  area.addEventListener("dragleave", () => area.classList.remove("dragging"));
  area.addEventListener("drop", (event) => {
    event.preventDefault();
    area.classList.remove("dragging");
    readFile(event.dataTransfer.files[0]);
  });
  $("file").addEventListener("change", (event) => readFile(event.target.files[0]));
  const key = $("api-key");
  key.value = sessionStorage.getItem(KEY_STORAGE) || "";
  key.addEventListener("change", () => {
    if (key.value) sessionStorage.setItem(KEY_STORAGE, key.value.trim());
    else sessionStorage.removeItem(KEY_STORAGE);
    loadModel();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  wireInput();
  $("form").addEventListener("submit", analyze);
  $("clear").addEventListener("click", () => {
    $("text").value = "";
    updateCount();
    $("results").hidden = true;
    showError("");
    setStatus("");
    $("text").focus();
  });
  $("download-csv").addEventListener("click", () => download(`${fileStem()}.csv`, "text/csv", toCsv(state.document)));
  $("download-json").addEventListener("click", () => download(`${fileStem()}.json`, "application/json",
    JSON.stringify({ ...state.document, explanations: state.explanations }, null, 2)));
  loadModel();
});
