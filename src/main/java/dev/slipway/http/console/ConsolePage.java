package dev.slipway.http.console;

/**
 * The console's one HTML page: the sign-in form, or the user's applications rendered by a nonce'd script from
 * {@code /console/api/managedupgrades}. The bearer token never reaches the page after sign-in; the CSRF token (not a
 * credential on its own: the session cookie is HttpOnly) is embedded for the script's POSTs.
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
            body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
            header{background:#0b3d91;color:#fff;padding:.8rem 1.2rem;display:flex;justify-content:space-between}
            main{padding:1.2rem;max-width:70rem}
            section{background:#fff;border:1px solid #c9d1d9;border-radius:6px;padding:1rem;margin-bottom:1rem}
            button{margin:.2rem .4rem .2rem 0;padding:.4rem .8rem}
            .error{color:#a40e26} table{border-collapse:collapse} td,th{padding:.2rem .6rem;text-align:left}
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
              const b = el('button', label, {type: 'button'});
              const v = app.view;
              b.disabled = !app.allowed[verb] || app.gitOps != null;
              if (b.disabled) b.title = app.gitOps ? 'Managed by ' + app.gitOps + ': approve via Git' : 'Not allowed';
              b.addEventListener('click', async () => {
                if (confirmText && !confirm(confirmText)) return;
                const payload = typeof body === 'function' ? body() : body;
                if (await post('/console/api/namespaces/' + encodeURIComponent(v.namespace) + '/managedupgrades/'
                    + encodeURIComponent(v.name) + '/' + action, payload)) load();
              });
              return b;
            }
            function render(data) {
              const apps = document.getElementById('apps'); apps.textContent = '';
              if (data.managedUpgrades.length === 0) apps.append(el('p', 'No applications you may see.'));
              for (const app of data.managedUpgrades) {
                const v = app.view; const s = el('section', null, {'aria-label': v.namespace + '/' + v.name});
                s.append(el('h2', v.namespace + '/' + v.name));
                s.append(el('p', 'Version ' + (v.currentVersion || 'unknown') + ', phase ' + v.phase
                  + (v.targetVersion ? ', planned target ' + v.targetVersion : '') + ', approval ' + app.approval + '.'));
                if (app.gitOps) s.append(el('p', 'Managed by ' + app.gitOps + ': approve via Git.'));
                if (v.plan) {
                  s.append(el('h3', 'Plan to ' + v.plan.target));
                  const ol = el('ol'); v.plan.hops.forEach(h => ol.append(el('li', h.version + ' (' + h.reason + ')')));
                  s.append(ol);
                }
                if (v.progress) s.append(el('p', 'Upgrade ' + v.progress.from + ' → ' + v.progress.to + ': '
                  + (v.progress.result || ('step ' + v.progress.step))));
                const choose = el('select', null, {id: 'version-' + v.name, 'aria-label': 'Version for ' + v.name});
                (v.availableUpdates || []).forEach(u => choose.append(el('option', u, {value: u})));
                s.append(el('label', 'Choose version ', {for: choose.id}), choose,
                  actionButton(app, 'Choose version', 'select-version', 'approve', () => ({version: choose.value})));
                if (v.targetVersion) s.append(actionButton(app, 'Approve ' + v.targetVersion, 'approve', 'approve',
                  {version: v.targetVersion, planHash: v.plan ? v.plan.hash : null}));
                s.append(actionButton(app, 'Start now', 'start-now', 'start', {}, 'Start now overrides the maintenance'
                    + ' window: the upgrade starts at once. Continue?'),
                  actionButton(app, 'Pause', 'pause', 'pause', {}), actionButton(app, 'Resume', 'resume', 'pause', {}),
                  actionButton(app, 'Retry', 'retry', 'retry', {}),
                  actionButton(app, 'Abandon', 'abandon', 'abandon', {}, 'Abandon: traffic goes back to the'
                    + ' application and its replicas are restored; the database and images stay as they are. Continue?'));
                if ((v.history || []).length) {
                  s.append(el('h3', 'History'));
                  const t = el('table'); const head = el('tr');
                  ['From', 'To', 'Result', 'Started', 'Finished'].forEach(c => head.append(el('th', c, {scope: 'col'})));
                  t.append(head);
                  v.history.forEach(h => { const r = el('tr');
                    [h.from, h.to, h.result, h.startedAt, h.finishedAt].forEach(c => r.append(el('td', c))); t.append(r); });
                  s.append(t);
                }
                apps.append(s);
              }
            }
            async function load() {
              const r = await fetch('/console/api/managedupgrades', {credentials: 'same-origin'});
              if (r.status === 401) { location.reload(); return; }
              render(await r.json());
            }
            load(); setInterval(load, 5000);
            </script>
            """;
}
