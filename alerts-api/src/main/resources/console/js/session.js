// The credential lives in sessionStorage: gone when the tab closes, never in a cookie (so no CSRF surface).
const KEY = 'keywatch.token';

export const session = {
  token: () => sessionStorage.getItem(KEY),
  signIn: (token) => sessionStorage.setItem(KEY, token),
  signOut: () => sessionStorage.removeItem(KEY),
};
