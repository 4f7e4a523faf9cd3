// The one place the console knows which role may do what. It only decides which buttons to show:
// the server checks every call again (README: Roles and tokens).
const RANK = { viewer: 0, responder: 1, admin: 2 };

const NEEDS = {
  acknowledge: 'responder',
  resolve: 'responder',
  silenceKey: 'responder',
  silenceRule: 'admin',
  revoke: 'responder',
  reinstate: 'admin',
  decideRevocation: 'responder',
  decideApproval: 'admin',
  manageWebhooks: 'admin',
  manageTokens: 'admin',
};

/** Whether the signed-in user (GET /api/v1/me) may do an action. */
export function may(me, action) {
  const needed = NEEDS[action];
  if (!needed) throw new Error('unknown action ' + action);
  return me !== null && me !== undefined && (RANK[me.role] ?? -1) >= RANK[needed];
}
