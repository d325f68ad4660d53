// The renderer's entry: styles (tokens first), the saved theme, and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyTheme, useThemeStore } from './stores/theme-store';
import './styles/tokens.css';
import './styles/base.css';
import './styles/app.css';

applyTheme(useThemeStore.getState().theme);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
