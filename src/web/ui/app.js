// The dashboard page. Every value shown comes from AWS accounts through the API and is untrusted:
// it only ever becomes text (textContent, attribute values), never markup.

const SEVERITIES = ["critical", "high", "medium", "low", "info"];
const STATUSES = ["fail", "unknown", "error", "pass", "not_applicable"];
const SVG = "http://www.w3.org/2000/svg";
const main = document.getElementById("main");

/** An HTML element with attributes and children (strings become text nodes). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, String(value));
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

/** An SVG element. */
function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

const percent = (ratio) => `${Math.floor(ratio * 1000) / 10}%`;
const date = (iso) => iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
const day = (iso) => iso.slice(0, 10);
const sum = (record) => SEVERITIES.reduce((n, severity) => n + (record[severity] ?? 0), 0);
const accountHref = (id) => `#/account/${encodeURIComponent(id)}`;
const label = (account) =>
  account.accountName ? `${account.accountName} (${account.accountId})` : account.accountId;
const severityBadge = (severity) => h("span", { class: `sev sev-${severity}` }, severity);

function card(title, value, warn = false) {
  return h(
    "div",
    { class: warn ? "card warn" : "card" },
    h("div", { class: "value" }, value),
    h("div", { class: "label" }, title),
  );
}

/** A line chart of `points` ({ at, value }) on a 0–100 scale, oldest first. */
function lineChart(title, points) {
  const width = 560;
  const height = 220;
  const left = 36;
  const bottom = 24;
  const plotWidth = width - left - 12;
  const plotHeight = height - bottom - 10;
  const times = points.map((p) => Date.parse(p.at));
  const first = Math.min(...times);
  const span = Math.max(...times) - first || 1;
  const x = (t) => left + (points.length === 1 ? plotWidth / 2 : ((t - first) / span) * plotWidth);
  const y = (v) => 10 + plotHeight - (v / 100) * plotHeight;
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-label": title,
    class: "line-chart",
  });
  for (const v of [0, 25, 50, 75, 100]) {
    svg.append(s("line", { class: "axis", x1: left, x2: width - 12, y1: y(v), y2: y(v) }));
    svg.append(s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)));
  }
  const coords = points.map((p, i) => `${x(times[i]).toFixed(1)},${y(p.value).toFixed(1)}`);
  svg.append(s("polyline", { class: "line", points: coords.join(" ") }));
  points.forEach((p, i) => {
    svg.append(
      s(
        "circle",
        { class: "dot", cx: x(times[i]).toFixed(1), cy: y(p.value).toFixed(1), r: 3 },
        s("title", {}, `${date(p.at)}: ${p.value}`),
      ),
    );
  });
  if (points.length > 0) {
    svg.append(s("text", { x: left, y: height - 6 }, day(points[0].at)));
    svg.append(
      s("text", { x: width - 12, y: height - 6, "text-anchor": "end" }, day(points[points.length - 1].at)),
    );
  }
  return h(
    "figure",
    { class: "chart" },
    h("h3", {}, title),
    points.length ? svg : h("p", { class: "muted" }, "No history yet."),
  );
}

/** A bar chart of failing findings per severity. */
function severityChart(title, failing) {
  const width = 420;
  const height = 200;
  const bottom = 22;
  const band = (width - 20) / SEVERITIES.length;
  const max = Math.max(1, ...SEVERITIES.map((severity) => failing[severity] ?? 0));
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-label": title,
    class: "bar-chart",
  });
  SEVERITIES.forEach((severity, i) => {
    const count = failing[severity] ?? 0;
    const barHeight = (count / max) * (height - bottom - 24);
    const x = 10 + i * band + band * 0.15;
    const top = height - bottom - barHeight;
    svg.append(
      s(
        "rect",
        {
          class: `bar sev-${severity}`,
          x,
          y: top,
          width: band * 0.7,
          height: barHeight,
          "data-severity": severity,
        },
        s("title", {}, `${severity}: ${count}`),
      ),
      s("text", { x: x + band * 0.35, y: top - 4, "text-anchor": "middle" }, String(count)),
      s("text", { x: x + band * 0.35, y: height - 6, "text-anchor": "middle" }, severity),
    );
  });
  return h("figure", { class: "chart" }, h("h3", {}, title), svg);
}

function evidence(result) {
  return h(
    "details",
    {},
    h("summary", {}, "Evidence"),
    h("pre", {}, JSON.stringify(result.evidence, null, 2)),
  );
}

function findingBlock(result) {
  return h(
    "div",
    { class: result.suppressed ? "finding suppressed" : "finding", "data-check": result.checkId },
    h(
      "div",
      {},
      severityBadge(result.severity),
      " ",
      h("code", {}, result.checkId),
      " ",
      h("span", { class: `status-${result.status}` }, result.status),
    ),
    h("div", { class: "resource" }, result.resource),
    h("p", { class: "message" }, result.message),
    result.suppressed
      ? h(
          "p",
          {},
          h(
            "span",
            { class: "tag" },
            `Suppressed: ${result.suppressed.reason}${result.suppressed.expires ? ` (until ${result.suppressed.expires})` : ""}`,
          ),
        )
      : null,
    evidence(result),
  );
}

function emptyStore() {
  return h(
    "div",
    { class: "empty" },
    h("h1", {}, "No scans yet"),
    h(
      "p",
      {},
      "No scans yet: run ",
      h("code", {}, "mfawatch scan --store sqlite:mfawatch.db"),
      " (or ",
      h("code", {}, "mfawatch scan --org --store …"),
      ") with the same store as this dashboard, then reload this page.",
    ),
  );
}

function failedAccounts(failures) {
  if (failures.length === 0) return null;
  return [
    h("h2", {}, `Accounts that could not be scanned (${failures.length})`),
    h(
      "table",
      { id: "failed-accounts" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Account", "Error", "Message"].map((t) => h("th", {}, t)),
        ),
      ),
      h(
        "tbody",
        {},
        failures.map((f) =>
          h(
            "tr",
            {},
            h("td", {}, label(f)),
            h("td", { class: "status-error" }, f.code),
            h("td", {}, f.message),
          ),
        ),
      ),
    ),
  ];
}

async function overviewView() {
  const overview = await api("/api/overview");
  const scan = overview.latestScan;
  if (!scan) return [emptyStore()];
  const unknowns = overview.accounts.reduce((n, a) => n + a.unknown, 0);
  const incomplete = scan.coverage < 1 || unknowns > 0 || scan.failedAccounts > 0;
  const rows = overview.accounts.map((a) =>
    h(
      "tr",
      { "data-account": a.accountId },
      h("td", {}, h("a", { href: accountHref(a.accountId) }, label(a))),
      h("td", { class: "num score" }, String(a.score)),
      h("td", { class: a.coverage < 1 ? "num status-unknown" : "num" }, percent(a.coverage)),
      SEVERITIES.slice(0, 4).map((severity) => h("td", { class: "num" }, String(a.failing[severity]))),
      h("td", { class: a.unknown > 0 ? "num status-unknown" : "num" }, String(a.unknown)),
      h("td", {}, date(a.scannedAt)),
    ),
  );
  return [
    h("h1", {}, scan.organizationId ? `Organization ${scan.organizationId}` : "Overview"),
    h(
      "div",
      { class: "cards" },
      card("risk score (0 = nothing known wrong)", `${scan.score}/100`),
      card("coverage: results that could be judged", percent(scan.coverage), scan.coverage < 1),
      card("results that could not be judged", String(unknowns), unknowns > 0),
      card("accounts in the latest scan", String(scan.accounts)),
      card("accounts that could not be scanned", String(scan.failedAccounts), scan.failedAccounts > 0),
    ),
    incomplete
      ? h(
          "p",
          { class: "notice" },
          "Some of the organization could not be judged. Unknown is not a pass: the score only counts what could be read. Open an account to see why.",
        )
      : null,
    h("p", { class: "muted" }, `Latest scan ${scan.scanId}, finished ${date(scan.finishedAt)}.`),
    h(
      "div",
      { class: "charts" },
      lineChart(
        "Risk score over time",
        overview.history.map((p) => ({ at: p.at, value: p.score })),
      ),
      severityChart("Failing findings by severity (latest scan)", scan.failing),
    ),
    failedAccounts(overview.failedAccounts ?? []),
    h("h2", {}, "Accounts, worst first"),
    h(
      "table",
      { id: "accounts" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "Account"),
          h("th", { class: "num" }, "Score"),
          h("th", { class: "num" }, "Coverage"),
          SEVERITIES.slice(0, 4).map((severity) => h("th", { class: "num" }, severity)),
          h("th", { class: "num" }, "Unknown"),
          h("th", {}, "Scanned"),
        ),
      ),
      h("tbody", {}, rows),
    ),
  ];
}

async function accountView(accountId) {
  const data = await api(`/api/accounts/${encodeURIComponent(accountId)}`);
  const { account, counts } = data;
  const failingCount = SEVERITIES.reduce((n, severity) => n + data.failing[severity].length, 0);
  const groups = SEVERITIES.filter((severity) => data.failing[severity].length > 0).map((severity) =>
    h(
      "section",
      { class: "severity-group", "data-severity": severity },
      h("h3", {}, severityBadge(severity), ` ${data.failing[severity].length} failing`),
      data.failing[severity].map(findingBlock),
    ),
  );
  return [
    h("h1", {}, label(account)),
    h(
      "div",
      { class: "cards" },
      card("risk score", `${account.score}/100`),
      card("coverage", percent(account.coverage), account.coverage < 1),
      card("failing", String(sum(account.failing))),
      card("could not be judged", String(counts.unknown + counts.error), counts.unknown + counts.error > 0),
      card("passing", String(counts.pass)),
    ),
    h(
      "p",
      { class: "muted" },
      `Latest scan ${account.scanId}, ${date(account.scannedAt)}. `,
      h(
        "a",
        { href: `#/findings?account=${encodeURIComponent(account.accountId)}` },
        "All results of this account",
      ),
    ),
    data.truncated
      ? h(
          "p",
          { class: "notice" },
          "This account has more results than shown here; the findings list pages through all of them.",
        )
      : null,
    h(
      "div",
      { class: "charts" },
      lineChart(
        "Risk score over time",
        data.history.map((p) => ({ at: p.at, value: p.score })),
      ),
    ),
    h("h2", {}, `Failing findings (${failingCount})`),
    groups.length ? groups : h("p", { class: "muted" }, "No unsuppressed failing findings."),
    h("h2", { id: "unknowns" }, `Could not be judged (${data.unknowns.length})`),
    data.unknowns.length
      ? h(
          "p",
          { class: "notice" },
          "These are not passes: mfawatch could not read what it needed. The message says why.",
        )
      : null,
    data.unknowns.length
      ? data.unknowns.map(findingBlock)
      : h("p", { class: "muted" }, "Everything could be judged."),
    h("h2", {}, `Suppressed (${data.suppressed.length})`),
    data.suppressed.length
      ? data.suppressed.map(findingBlock)
      : h("p", { class: "muted" }, "Nothing is suppressed."),
  ];
}

const FILTERS = ["account", "check", "status", "severity"];
const PAGE = 50;

function select(name, values, current) {
  return h(
    "select",
    { name },
    h("option", { value: "" }, "any"),
    values.map((v) => h("option", { value: v, selected: v === current }, v)),
  );
}

async function findingsView(query) {
  const params = new URLSearchParams();
  for (const name of [...FILTERS, "offset"]) {
    const value = query.get(name);
    if (value) params.set(name, value);
  }
  params.set("limit", String(PAGE));
  const form = h(
    "form",
    { class: "filters", id: "filters" },
    h(
      "label",
      {},
      "Account",
      h("input", {
        name: "account",
        value: query.get("account") ?? "",
        placeholder: "123456789012",
        size: 14,
      }),
    ),
    h(
      "label",
      {},
      "Check",
      h("input", { name: "check", value: query.get("check") ?? "", placeholder: "user-console-mfa" }),
    ),
    h("label", {}, "Status", select("status", STATUSES, query.get("status"))),
    h("label", {}, "Severity", select("severity", SEVERITIES, query.get("severity"))),
    h("button", { type: "submit" }, "Apply"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) next.set(name, String(value).trim());
    location.hash = `#/findings?${next}`;
  });
  let page;
  try {
    page = await api(`/api/findings?${params}`);
  } catch (error) {
    return [h("h1", {}, "Findings"), form, h("p", { class: "error" }, error.message)];
  }
  const rows = page.items.map((r) =>
    h(
      "tr",
      { class: r.suppressed ? "suppressed" : undefined },
      h("td", {}, severityBadge(r.severity)),
      h(
        "td",
        { class: `status-${r.status}` },
        r.status,
        r.suppressed ? [" ", h("span", { class: "tag" }, "suppressed")] : null,
      ),
      h("td", {}, h("a", { href: accountHref(r.accountId) }, r.accountId)),
      h("td", {}, h("code", { class: "check" }, r.checkId)),
      h("td", { class: "resource" }, h("code", {}, r.resource)),
      h("td", {}, h("span", { class: "message" }, r.message), evidence(r)),
    ),
  );
  const pageLink = (offset, text) => {
    const next = new URLSearchParams(query);
    next.set("offset", String(offset));
    return h("a", { href: `#/findings?${next}` }, text);
  };
  const end = page.offset + page.items.length;
  return [
    h("h1", {}, "Findings"),
    h(
      "p",
      { class: "muted" },
      "Each account's latest scan. Unknown and error results could not be judged: they are not passes.",
    ),
    form,
    h("p", { id: "total" }, page.total ? `${page.offset + 1}–${end} of ${page.total}` : "No results match."),
    page.items.length
      ? h(
          "table",
          { id: "findings" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ["Severity", "Status", "Account", "Check", "Resource", "Message"].map((t) => h("th", {}, t)),
            ),
          ),
          h("tbody", {}, rows),
        )
      : null,
    h(
      "div",
      { class: "pager" },
      page.offset > 0 ? pageLink(Math.max(0, page.offset - PAGE), "← Previous") : null,
      end < page.total ? pageLink(end, "Next →") : null,
    ),
  ];
}

let renders = 0;

async function render() {
  const current = ++renders;
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search] = hash.split("?");
  const account = /^\/account\/([^/]+)$/.exec(path);
  let content;
  try {
    if (account) content = await accountView(decodeURIComponent(account[1]));
    else if (path === "/findings") content = await findingsView(new URLSearchParams(search ?? ""));
    else content = await overviewView();
  } catch (error) {
    content = [h("p", { class: "error" }, `Could not load this view: ${error.message}`)];
  }
  if (current !== renders) return;
  main.replaceChildren(...content.flat().filter(Boolean));
  main.dataset.ready = hash;
}

window.addEventListener("hashchange", render);
render();
