// The console's shell: sign-in, the role badge, and a hash router over the screens.
import { ApiError, get, session } from './api.js';
import { clear, h } from './dom.js';
import { experimentList } from './list.js';
import { experimentForm } from './form.js';
import { experimentDetail } from './detail.js';
import { clusterView } from './cluster.js';

const view = document.getElementById('view');
let leave = () => {};
/** Why the last sign-in failed, shown on the sign-in screen. */
let signInError = '';

const routes = [
  [/^#\/experiments\/new$/, () => experimentForm(null)],
  [/^#\/experiments\/([^/]+)\/edit$/, (m) => experimentForm(decodeURIComponent(m[1]))],
  [/^#\/experiments\/([^/]+)$/, (m) => experimentDetail(decodeURIComponent(m[1]))],
  [/^#\/cluster$/, () => clusterView()],
  [/^/, () => experimentList()],
];

async function render() {
  leave();
  leave = () => {};
  if (!session.token || !session.role) {
    if (session.token && (await identify(session.token))) return render();
    showSignIn();
    return;
  }
  const hash = location.hash || '#/experiments';
  document.querySelectorAll('[data-nav]').forEach((a) =>
    a.classList.toggle('active', hash.startsWith(`#/${a.dataset.nav}`)));
  for (const [pattern, screen] of routes) {
    const match = hash.match(pattern);
    if (match) {
      clear(view).append(h('p.muted', 'Loading…'));
      try {
        const shown = await screen(match);
        clear(view).append(shown.element);
        leave = shown.leave || leave;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return signOut();
        clear(view).append(h('div.banner.error', e.message));
      }
      return;
    }
  }
}

/** Asks the API who the token is; false when it is not a known admin token. */
async function identify(token) {
  session.token = token;
  try {
    const me = await get('/v1/me');
    if (me.role === 'sdk') throw new ApiError(403, { error: { message: 'an SDK key cannot use the console' } });
    session.role = me.role;
    document.getElementById('role').textContent = me.role;
    document.getElementById('role').dataset.role = me.role;
    document.getElementById('who').hidden = false;
    document.getElementById('nav').hidden = false;
    return true;
  } catch (e) {
    session.token = null;
    session.role = null;
    signInError = e.status === 401 ? 'That token is not known.' : e.message;
    return false;
  }
}

function showSignIn() {
  document.getElementById('who').hidden = true;
  document.getElementById('nav').hidden = true;
  const input = h('input#token', { type: 'password', autocomplete: 'off', placeholder: 'admin token', required: true });
  const message = h('p.error#sign-in-error', signInError);
  const form = h('form.card.sign-in', {
    onsubmit: async (event) => {
      event.preventDefault();
      if (await identify(input.value.trim())) render();
      else message.textContent = signInError;
    },
  },
  h('h1', 'Sign in'),
  h('p.muted', 'With an admin token (viewer, experimenter or admin). It is kept for this tab only.'),
  input, h('button.primary#sign-in', { type: 'submit' }, 'Sign in'), message);
  clear(view).append(form);
  input.focus();
}

function signOut() {
  session.token = null;
  session.role = null;
  signInError = '';
  render();
}

document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', render);
render();
