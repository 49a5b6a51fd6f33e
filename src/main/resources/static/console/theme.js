// Dark mode: follows prefers-color-scheme ("auto"), or the user's choice kept in this
// browser (localStorage). The choice is <html data-theme>, read by details.css; pages
// that draw (the Overview's charts) listen for "rvfeed-theme".

const KEY = 'rvfeed.theme';
const MODES = ['auto', 'dark', 'light'];
const DARK = window.matchMedia('(prefers-color-scheme: dark)');

export function themeMode() {
  const stored = localStorage.getItem(KEY);
  return MODES.includes(stored) ? stored : 'auto';
}

/** Whether the page is dark now, by choice or by the system's preference. */
export function isDark() {
  const mode = themeMode();
  return mode === 'dark' || (mode === 'auto' && DARK.matches);
}

function apply() {
  const mode = themeMode();
  if (mode === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = mode;
  document.documentElement.classList.toggle('dark', isDark());
  const button = document.getElementById('theme-toggle');
  if (button) {
    button.textContent = `Theme: ${mode}`;
    button.title = 'Switch between automatic (the system setting), dark and light';
  }
  window.dispatchEvent(new CustomEvent('rvfeed-theme', { detail: { dark: isDark() } }));
}

document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('theme-toggle');
  if (button) {
    button.addEventListener('click', () => {
      const next = MODES[(MODES.indexOf(themeMode()) + 1) % MODES.length];
      if (next === 'auto') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
      apply();
    });
  }
  apply();
});
DARK.addEventListener('change', apply);
apply();
