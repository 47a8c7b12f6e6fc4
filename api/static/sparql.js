// luocdo SPARQL query page. Plain JavaScript, no external assets: works offline.
"use strict";

const MESSAGES = {
  vi: {
    title: "Truy vấn SPARQL",
    api_docs: "Tài liệu API",
    examples: "Truy vấn mẫu",
    choose: "— chọn —",
    query: "Truy vấn",
    run: "Chạy (Ctrl+Enter)",
    download: "Tải kết quả dạng",
    running: "Đang chạy…",
    rows: (n, ms) => `${n} dòng, ${ms} ms`,
    triples: (ms) => `Đồ thị kết quả, ${ms} ms`,
    truncated: (n) => ` — kết quả đã bị cắt ở ${n} dòng`,
    yes: "đúng",
    no: "sai",
    error: "Lỗi",
    params: "Tham số (gán bằng VALUES trước khi chạy): ",
    none: "(không có kết quả)",
  },
  en: {
    title: "SPARQL query",
    api_docs: "API docs",
    examples: "Example queries",
    choose: "— choose —",
    query: "Query",
    run: "Run (Ctrl+Enter)",
    download: "Download results as",
    running: "Running…",
    rows: (n, ms) => `${n} rows, ${ms} ms`,
    triples: (ms) => `Result graph, ${ms} ms`,
    truncated: (n) => ` — results cut at ${n} rows`,
    yes: "true",
    no: "false",
    error: "Error",
    params: "Parameters (bind them with VALUES before running): ",
    none: "(no results)",
  },
};

function pageLang() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "en" || asked === "vi") return asked;
  return document.documentElement.lang === "en" ? "en" : "vi";
}

const LANG = pageLang();
const T = MESSAGES[LANG];
const GRAPH_FORMS = /^\s*(?:(?:PREFIX|BASE)[^\n]*\n\s*|#[^\n]*\n\s*)*(CONSTRUCT|DESCRIBE)\b/i;

function translatePage() {
  document.documentElement.lang = LANG;
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const text = T[el.dataset.i18n];
    if (typeof text === "string") el.textContent = text;
  }
}

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = term.value;
    a.textContent = term.value;
    td.appendChild(a);
  } else {
    td.textContent = term.type === "bnode" ? `_:${term.value}` : term.value;
    const extra = term["xml:lang"] ? `@${term["xml:lang"]}` : "";
    if (extra) {
      const span = document.createElement("span");
      span.className = "lang";
      span.textContent = ` ${extra}`;
      td.appendChild(span);
    }
  }
  return td;
}

function showTable(data) {
  const results = document.getElementById("results");
  results.replaceChildren();
  if (typeof data.boolean === "boolean") {
    const p = document.createElement("p");
    p.textContent = data.boolean ? T.yes : T.no;
    results.appendChild(p);
    return 1;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings;
  if (!rows.length) {
    const p = document.createElement("p");
    p.textContent = T.none;
    results.appendChild(p);
    return 0;
  }
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of vars) tr.appendChild(cell(row[v]));
  }
  results.appendChild(table);
  return rows.length;
}

function showText(text) {
  const pre = document.createElement("pre");
  pre.textContent = text;
  document.getElementById("results").replaceChildren(pre);
}

async function problemText(response) {
  try {
    const body = await response.json();
    return body.detail || body.title || response.statusText;
  } catch (e) {
    return response.statusText;
  }
}

async function run() {
  const query = document.getElementById("query").value;
  const button = document.getElementById("run");
  const isGraph = GRAPH_FORMS.test(query);
  const accept = isGraph ? "text/turtle" : "application/sparql-results+json";
  button.disabled = true;
  setStatus(T.running, false);
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: accept,
                 "Accept-Language": LANG },
      body: query,
    });
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      setStatus(`${T.error} ${response.status}: ${await problemText(response)}`, true);
      document.getElementById("results").replaceChildren();
      return;
    }
    const cut = response.headers.get("X-Luocdo-Truncated") === "true"
      ? T.truncated(response.headers.get("X-Luocdo-Row-Limit")) : "";
    if (isGraph) {
      showText(await response.text());
      setStatus(T.triples(ms) + cut, false);
    } else {
      const n = showTable(await response.json());
      setStatus(T.rows(n, ms) + cut, false);
    }
  } catch (e) {
    setStatus(`${T.error}: ${e}`, true);
  } finally {
    button.disabled = false;
  }
}

function download() {
  const select = document.getElementById("download");
  const format = select.value;
  if (!format) return;
  const params = new URLSearchParams({ query: document.getElementById("query").value, format });
  window.open(`/sparql?${params}`, "_blank");
  select.value = "";
}

async function loadExamples() {
  const select = document.getElementById("examples");
  const help = document.getElementById("example-help");
  let queries = [];
  try {
    const response = await fetch("/queries");
    if (response.ok) queries = await response.json();
  } catch (e) {
    return;
  }
  for (const q of queries) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.name;
    option.title = q.description;
    select.appendChild(option);
  }
  select.addEventListener("change", () => {
    const q = queries.find((item) => item.name === select.value);
    if (!q) return;
    document.getElementById("query").value = q.text;
    const params = q.params.map((p) => `?${p.name} (${p.kind})`).join(", ");
    help.textContent = q.description + (params ? ` ${T.params}${params}` : "");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  translatePage();
  loadExamples();
  document.getElementById("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  document.getElementById("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  document.getElementById("download").addEventListener("change", download);
});
