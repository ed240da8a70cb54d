/** The sign-in screen: the local form (local stack) or the company-account button (Cognito). */
import { ApiError, api } from '../api.js';
import { byId } from '../dom.js';
import { DEPARTMENTS, ROLES } from '../generated/catalogue.js';
import { fieldErrorText, label, t } from '../i18n.js';
import { goToHostedUi, signInErrorMessage, useCognito } from './session.js';

/** Shows the sign-in screen; `keepConsole`: a session ran out, the console stays as it was underneath. */
export function showSignIn(message, { keepConsole = false } = {}) {
  byId('console-view').hidden = true;
  byId('sign-in-view').hidden = false;
  byId('sign-out').hidden = true;
  if (!keepConsole) byId('who').textContent = '';
  byId('sign-in-error').textContent = message ?? '';
  const local = !useCognito();
  byId('local-sign-in').hidden = !local;
  byId('cognito-sign-in').hidden = local;
  renderSignInOptions();
}

export function renderSignInOptions() {
  const role = byId('role');
  const chosenRole = role.value || 'agent';
  role.replaceChildren(...ROLES.map((r) => new Option(label('role', r), r)));
  role.value = chosenRole;
  const department = byId('sign-in-department');
  const chosenDept = department.value;
  department.replaceChildren(
    new Option(t('console.departmentAny'), ''),
    ...DEPARTMENTS.map((d) => new Option(label('dept', d.id), d.id)),
  );
  department.value = chosenDept;
}

/** Wires the sign-in screen; `onToken(token)` is called with the token of a sign-in. */
export function mountSignIn({ onToken }) {
  byId('local-sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    byId('sign-in-error').textContent = '';
    const body = { role: byId('role').value };
    if (byId('sign-in-department').value) body.department = byId('sign-in-department').value;
    if (byId('sign-in-name').value.trim()) body.name = byId('sign-in-name').value.trim();
    try {
      const { token } = await api('/local/sign-in', { method: 'POST', body });
      onToken(token);
    } catch (error) {
      const details = error instanceof ApiError ? error.details.map((d) => fieldErrorText(d)).join(' ') : '';
      byId('sign-in-error').textContent = `${error.message ?? ''} ${details}`.trim();
    }
  });
  byId('cognito-button').addEventListener('click', async () => {
    byId('sign-in-error').textContent = '';
    try {
      await goToHostedUi();
    } catch (error) {
      byId('sign-in-error').textContent = signInErrorMessage(error?.code ?? 'error');
    }
  });
}
