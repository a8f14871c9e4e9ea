package dev.slipway.http.console;

/**
 * The console's one HTML page: the sign-in form, or the user's applications rendered by a nonce'd script from
 * {@code /console/api/managedupgrades} and kept current by the server-sent events of {@code /console/api/events}. The
 * bearer token never reaches the page after sign-in; the CSRF token (not a credential on its own: the session cookie is
 * HttpOnly) is embedded for the script's POSTs.
 */
final class ConsolePage {

    private ConsolePage() {
    }

    static String render(String nonce, String user, String csrfToken) {
        String body = user == null ? SIGN_IN : APPLICATIONS.replace("{user}", escape(user))
                .replace("{csrf}", escape(csrfToken));
        return HEAD.replace("{nonce}", nonce) + body.replace("{nonce}", nonce) + "</body></html>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static final String HEAD = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Slipway console</title>
            <style nonce="{nonce}">
            body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa;line-height:1.4}
            header{background:#0b3d91;color:#fff;padding:.6rem 1.2rem;display:flex;justify-content:space-between;
              align-items:center;flex-wrap:wrap}
            header h1{font-size:1.3rem;margin:0}
            main{padding:1.2rem;max-width:72rem}
            section.app{background:#fff;border:1px solid #c9d1d9;border-radius:6px;padding:1rem;margin-bottom:1rem}
            h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
            button{margin:.2rem .4rem .2rem 0;padding:.4rem .8rem;font:inherit}
            .actions{border-top:1px solid #d0d7de;margin-top:1rem;padding-top:.6rem}
            .error{color:#a40e26} .muted{color:#57606a}
            table{border-collapse:collapse;margin:.3rem 0} td,th{padding:.25rem .6rem;text-align:left;vertical-align:top;
              border-bottom:1px solid #d8dee4}
            .progress{background:#ddf4ff;border:1px solid #54aeff;border-radius:6px;padding:.6rem}
            .sev-Blocking{color:#a40e26;font-weight:600}
            a{color:#0550ae}
            </style></head><body>
            """;

    private static final String SIGN_IN = """
            <header><h1>Slipway console</h1></header>
            <main><form id="signin"><h2>Sign in</h2>
            <p>Paste a Kubernetes token, e.g. from <code>kubectl create token NAME</code>. It is checked with the
            API server and not kept; the browser gets only a session cookie.</p>
            <label for="token">Token</label><br><input id="token" type="password" autocomplete="off" size="60">
            <button type="submit">Sign in</button><p id="message" class="error" role="alert"></p></form></main>
            <script nonce="{nonce}">
            document.getElementById('signin').addEventListener('submit', async e => {
              e.preventDefault();
              const field = document.getElementById('token');
              const r = await fetch('/console/session', {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-Slipway-Console': '1'},
                body: JSON.stringify({token: field.value})});
              field.value = '';
              if (r.ok) { location.reload(); return; }
              document.getElementById('message').textContent = (await r.json()).message;
            });
            </script>
            """;

    private static final String APPLICATIONS = """
            <header><h1>Slipway console</h1><span>Signed in as {user}
            <button id="logout" type="button">Sign out</button></span></header>
            <main><p id="message" role="status"></p><div id="apps">Loading…</div></main>
            <script nonce="{nonce}">
            const csrf = '{csrf}';
            function el(tag, text, attrs) { const e = document.createElement(tag); if (text != null) e.textContent = text;
              Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v)); return e; }
            function append(parent, ...children) { children.forEach(c => parent.append(c)); return parent; }
            function table(caption, columns, rows, cls) {
              const t = el('table', null, cls ? {'class': cls} : {}); t.append(el('caption', caption, {'class': 'muted'}));
              const head = el('tr'); columns.forEach(c => head.append(el('th', c, {scope: 'col'}))); t.append(head);
              rows.forEach(cells => { const r = el('tr'); cells.forEach(c => r.append(c instanceof Node ? append(el('td'), c)
                : el('td', c == null ? '' : c))); t.append(r); });
              return t;
            }
            function path(hops) { const ol = el('ol');
              hops.forEach(h => ol.append(el('li', h.version + ': ' + h.why + '; ' + h.downtime))); return ol; }
            function notes(url, version) { return url ? el('a', 'Release notes', {href: url, rel: 'noreferrer',
              'aria-label': 'Release notes of ' + version}) : ''; }
            async function post(path, body) {
              const r = await fetch(path, {method: 'POST', credentials: 'same-origin', headers: {'Content-Type':
                'application/json', 'X-Slipway-Console': '1', 'X-CSRF-Token': csrf}, body: JSON.stringify(body || {})});
              const answer = await r.json();
              if (r.status === 401) { location.reload(); }
              document.getElementById('message').textContent = r.ok ? answer.changed || '' : answer.message;
              return r.ok;
            }
            document.getElementById('logout').addEventListener('click', async () => {
              await post('/console/logout'); location.reload(); });
            function actionButton(app, label, action, verb, body, confirmText) {
              const b = el('button', label, {type: 'button', 'data-action': action});
              const v = app.view;
              b.disabled = !app.allowed[verb] || app.gitOps != null;
              if (b.disabled) b.title = app.gitOps ? 'Managed by ' + app.gitOps + ': approve via Git'
                : 'You may not ' + verb + ' this ManagedUpgrade';
              b.addEventListener('click', async () => {
                if (confirmText && !confirm(confirmText)) return;
                const payload = typeof body === 'function' ? body() : body;
                if (await post('/console/api/namespaces/' + encodeURIComponent(v.namespace) + '/managedupgrades/'
                    + encodeURIComponent(v.name) + '/' + action, payload)) load();
              });
              return b;
            }
            function progress(app) {
              const v = app.view;
              const p = v.progress; if (!p) return null;
              const box = el('div', null, {'class': 'progress', role: 'status', 'aria-live': 'polite'});
              box.append(el('h3', 'Upgrade ' + p.from + ' → ' + p.to));
              box.append(el('p', p.result ? 'Ended: ' + p.result + (p.failure ? ' at ' + p.failure.step + ' ('
                + p.failure.reason + '): ' + (p.failure.message || '') : '')
                : 'Now: ' + (p.step || 'starting') + (p.hop != null && p.hops ? ' (hop ' + (p.hop + 1) + ' of ' + p.hops + ')' : '')
                + (app.stepStarted ? ', since ' + app.stepStarted : '')));
              return box;
            }
            function render(data) {
              const apps = document.getElementById('apps');
              const chosen = {}; apps.querySelectorAll('select').forEach(s => chosen[s.id] = s.value);
              apps.textContent = '';
              if (data.managedUpgrades.length === 0) apps.append(el('p', 'No applications you may see.'));
              for (const app of data.managedUpgrades) {
                const v = app.view;
                const s = el('section', null, {'class': 'app', id: 'app-' + v.namespace + '-' + v.name,
                  'aria-labelledby': 'title-' + v.namespace + '-' + v.name});
                s.append(el('h2', v.namespace + '/' + v.name, {id: 'title-' + v.namespace + '-' + v.name}));
                s.append(el('p', app.summary, {'class': 'summary'}));
                s.append(el('p', 'Version ' + (v.currentVersion || 'unknown') + ' · phase ' + v.phase
                  + ' · approval ' + app.approval + (app.pinnedVersion ? ' · chosen version ' + app.pinnedVersion : '')
                  + (app.approvedVersion ? ' · approved ' + app.approvedVersion : '') + (app.paused ? ' · paused' : ''),
                  {'class': 'muted'}));
                if (app.gitOps) s.append(el('p', 'Managed by ' + app.gitOps + ': approve via Git.'));
                else if (!Object.values(app.allowed).some(Boolean)) s.append(el('p', 'You may view this application;'
                  + ' acting on it needs more (e.g. the ClusterRole slipway-console-admin bound in its namespace).'));
                const now = progress(app); if (now) s.append(now);
                if (v.plan) {
                  s.append(el('h3', 'Planned: ' + v.currentVersion + ' → ' + v.plan.target));
                  s.append(path(app.plan));
                }
                const c = app.choices;
                const actions = el('div', null, {'class': 'actions', role: 'group', 'aria-label': 'Actions on ' + v.name});
                const choose = el('select', null, {id: 'version-' + v.namespace + '-' + v.name});
                const versions = c.reachable.length ? c.reachable.map(r => r.version) : (v.availableUpdates || []);
                versions.forEach(u => choose.append(el('option', u, {value: u})));
                if (chosen[choose.id]) choose.value = chosen[choose.id];
                choose.disabled = !app.allowed.approve || app.gitOps != null;
                const chooseVersion = actionButton(app, 'Choose version', 'select-version', 'approve',
                  () => ({version: choose.value}));
                if (!versions.length) {
                  // nothing to choose: an enabled button would post an empty version for the server to refuse
                  choose.disabled = chooseVersion.disabled = true;
                  chooseVersion.title = 'No version to choose: no newer release can be reached';
                }
                append(actions, el('label', 'Version ', {for: choose.id}), choose, chooseVersion);
                if (v.plan) actions.append(actionButton(app, 'Approve ' + v.plan.target, 'approve', 'approve',
                  {version: v.plan.target, planHash: v.plan.hash}));
                append(actions, actionButton(app, 'Start now', 'start-now', 'start', {}, 'Start now overrides the'
                    + ' maintenance window: the upgrade starts at once, outside the window. Continue?'),
                  app.paused ? actionButton(app, 'Resume', 'resume', 'pause', {}) : actionButton(app, 'Pause', 'pause', 'pause', {}),
                  actionButton(app, 'Retry', 'retry', 'retry', {}),
                  actionButton(app, 'Abandon', 'abandon', 'abandon', {}, 'Abandon: traffic goes back to the'
                    + ' application and its replicas are restored; the database and images stay as they are. Continue?'));
                s.append(actions);
                s.append(el('h3', 'Versions you can choose'));
                if (c.problem) s.append(el('p', 'Releases unknown: ' + c.problem));
                if (c.reachable.length) s.append(table('Each version the policy allows, with the path to it',
                  ['Version', 'Path', 'Notes'], c.reachable.map(r => [r.version, path(r.hops), notes(r.notesUrl, r.version)]),
                  'choices'));
                else if (!c.problem) s.append(el('p', 'None: no newer release can be reached.'));
                if (c.unusable.length) s.append(table('Newer releases that cannot be chosen now',
                  ['Version', 'Why', 'Usable in', 'Notes'], c.unusable.map(u => [u.version, u.why, u.usableIn,
                  notes(u.notesUrl, u.version)]), 'blocked'));
                const sc = app.schedule;
                s.append(el('h3', 'Maintenance windows (' + sc.zone + ')'));
                const ul = el('ul', null, {'class': 'schedule'}); ul.append(el('li', sc.status));
                if (sc.currentWindow) ul.append(el('li', 'Open window: ' + sc.currentWindow));
                if (sc.nextWindow) ul.append(el('li', 'Next window: ' + sc.nextWindow));
                sc.freezes.forEach(f => ul.append(el('li', f)));
                sc.warnings.forEach(w => ul.append(el('li', 'Warning: ' + w)));
                s.append(ul);
                if (app.database) {
                  const d = app.database;
                  s.append(el('h3', 'Database verification'));
                  s.append(el('p', 'Verified ' + (d.verified || 'never') + ' at schema ' + (d.schemaVersion || '?') + ': '
                    + (d.findingCount || 0) + ' finding(s)' + (d.blocking ? ', upgrades blocked until fixed.' : '.')));
                  if ((d.findings || []).length) s.append(table('Findings', ['Severity', 'Object', 'Problem', 'Fix'],
                    d.findings.map(f => [append(el('span', null, {'class': 'sev-' + f.severity}), f.severity), f.object,
                    f.problem, (f.statements || []).join('; ')]), 'findings'));
                }
                if ((app.conditions || []).length) s.append(table('Conditions', ['Condition', 'Status', 'Reason', 'Message'],
                  app.conditions.map(k => [k.type, k.status, k.reason, k.message]), 'conditions'));
                if (app.history.length) {
                  s.append(el('h3', 'History'));
                  s.append(table('Past upgrades, newest last', ['From', 'To', 'Result', 'Started', 'Took', 'By', 'Steps'],
                    app.history.map(h => { const steps = el('ul');
                      h.steps.forEach(st => steps.append(el('li', st.name + (st.took ? ': ' + st.took : ''))));
                      return [h.from, h.to, h.result + (h.message ? ': ' + h.message : ''), h.started, h.took,
                        h.requestedBy, steps]; }), 'history'));
                }
                apps.append(s);
              }
            }
            async function load() {
              const r = await fetch('/console/api/managedupgrades', {credentials: 'same-origin'});
              if (r.status === 401) { location.reload(); return; }
              render(await r.json());
            }
            const live = new EventSource('/console/api/events');
            live.addEventListener('overview', e => render(JSON.parse(e.data)));
            live.addEventListener('signedOut', () => { live.close(); location.reload(); });
            live.addEventListener('error', () => { if (live.readyState === EventSource.CLOSED) load(); });
            load();
            </script>
            """;
}
