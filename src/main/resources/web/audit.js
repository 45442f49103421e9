// The audit page's live stream: server-sent events from /ui/audit/events (the same stream as
// GET /v1/events), newest first. Text only (textContent), never markup from an event.
(function () {
  "use strict";
  var body = document.getElementById("live");
  var status = document.getElementById("live-status");
  if (!body || !window.EventSource) {
    return;
  }
  var MAX_ROWS = 200;
  // The same labels as the server's rows: on a phone each row is a card of labelled cells.
  var LABELS = ["#", "Time", "Type", "Actor", "Profile", "Request", "Outcome", "Reason"];
  var source = new EventSource("/ui/audit/events");
  status.textContent = "Connecting…";
  source.onopen = function () { status.textContent = "Live: new events appear here."; };
  source.onerror = function () { status.textContent = "Stream interrupted; reconnecting…"; };
  source.addEventListener("audit", function (message) {
    var e;
    try { e = JSON.parse(message.data); } catch (err) { return; }
    var row = document.createElement("tr");
    var actor = e.actor_email || e.actor_subject || "";
    [e.seq, e.occurred_at, e.type, actor, e.profile, e.request_id, e.outcome, e.reason]
      .forEach(function (value, i) {
        var cell = document.createElement("td");
        cell.setAttribute("data-label", LABELS[i]);
        if (i === LABELS.length - 1) {
          cell.className = "reason";
        }
        cell.textContent = value === null || value === undefined ? "" : String(value);
        row.appendChild(cell);
      });
    body.insertBefore(row, body.firstChild);
    while (body.rows.length > MAX_ROWS) {
      body.deleteRow(body.rows.length - 1);
    }
  });
})();
