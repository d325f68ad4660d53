// The name the app shell looks for (src-renderer/optional-features.ts): the settings view.
export { SettingsView as SettingsPage } from './SettingsView';
