// What a person does in Trailboard, in the words the screen uses: every locator is a role with its
// accessible name, or a label. Each helper waits for the screen to show the result (expect polls; no sleeps).
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

export type Theme = 'light' | 'dark';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The board's column named `name` (a region labelled by its heading). */
export function column(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** The card titled `title` in the column `columnName`. */
export function cardIn(page: Page, columnName: string, title: string): Locator {
  return column(page, columnName)
    .getByRole('list', { name: `Cards in ${columnName}` })
    .getByRole('button', { name: new RegExp(`^${escapeRegExp(title)}`) });
}

/** The card panel of the card titled `title`. */
export function cardPanel(page: Page, title: string): Locator {
  return page.getByRole('dialog', { name: title, exact: true });
}

/** The card panel's history, newest first. */
export function history(panel: Locator): Locator {
  return panel.getByRole('list', { name: 'Card history, newest first' });
}

/** Expects the newest entry of the card's history to read `sentence` ("You closed this card"). */
export async function expectNewestHistory(panel: Locator, sentence: string): Promise<void> {
  await expect(history(panel).getByRole('listitem').first()).toContainText(sentence);
}

/** The live region where the board announces moves to screen readers. */
export function announcer(page: Page): Locator {
  return page.locator('#tb-board-announcer');
}

export function toasts(page: Page): Locator {
  return page.getByRole('region', { name: 'Notifications' });
}

/** Writes a comment in the open card's panel and sends it; the box empties and keeps focus for the next. */
export async function comment(panel: Locator, text: string): Promise<void> {
  const box = panel.getByLabel('Add a comment');
  await box.fill(text);
  await panel.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(panel.getByRole('region', { name: /^Comments/ }).getByRole('listitem')).toContainText([text]);
  await expect(box).toHaveValue('');
  await expect(box).toBeFocused();
}

/** Dismisses every notification on screen (for screenshots that show the view, not the last toasts). */
export async function dismissToasts(page: Page): Promise<void> {
  const close = toasts(page).getByRole('button', { name: 'Dismiss notification' });
  for (let count = await close.count(); count > 0; count = await close.count()) await close.first().click();
  await expect(close).toHaveCount(0);
}

/** A new user's first board, from the empty state. */
export async function createFirstBoard(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Create a board' }).click();
  const dialog = page.getByRole('dialog', { name: 'New board' });
  await dialog.getByLabel('Board name').fill(name);
  await dialog.getByRole('button', { name: 'Create board' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Boards and accounts' }).getByRole('button', { name, exact: true })).toBeVisible();
}

/** The board's columns, the first through "Name a column", the rest through the "Add column" slot. */
export async function addColumns(page: Page, names: readonly string[]): Promise<void> {
  const [first, ...rest] = names;
  if (first === undefined) return;
  await page.getByRole('button', { name: 'Name a column' }).click();
  const dialog = page.getByRole('dialog', { name: 'New column' });
  await dialog.getByLabel('Column name').fill(first);
  await dialog.getByRole('button', { name: 'Add column' }).click();
  await expect(column(page, first)).toBeVisible();
  if (rest.length === 0) return;
  await page.getByRole('button', { name: 'Add column' }).click();
  for (const name of rest) {
    await page.getByLabel('New column name').fill(name);
    await page.getByLabel('New column name').press('Enter');
    await expect(column(page, name)).toBeVisible();
  }
  await page.getByLabel('New column name').press('Escape');
  await expect(page.getByRole('button', { name: /^Move column / })).toHaveCount(names.length);
}

/** Cards added with the column's quick add (Enter adds and keeps the field open for the next). */
export async function addCards(page: Page, columnName: string, titles: readonly string[]): Promise<void> {
  const where = column(page, columnName);
  await where.getByRole('button', { name: `Add a card to ${columnName}` }).click();
  const field = where.getByLabel(`New card title in ${columnName}`);
  for (const title of titles) {
    await field.fill(title);
    await field.press('Enter');
    await expect(cardIn(page, columnName, title)).toBeVisible();
    await expect(field).toHaveValue('');
  }
  await field.press('Escape');
  await expect(field).toBeHidden();
}

/**
 * Drags a card with the mouse onto a column, the way a person does: press, move a little (dnd-kit starts a
 * drag after 5 px), glide over in small steps, and let go once the column shows where the card would land.
 */
export async function dragCard(page: Page, card: Locator, toColumn: string): Promise<void> {
  const from = await card.boundingBox();
  const target = column(page, toColumn).getByRole('list', { name: `Cards in ${toColumn}` }).or(column(page, toColumn).getByText('No cards yet'));
  const to = await target.first().boundingBox();
  if (!from || !to) throw new Error('the card or the column is not on screen');
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 12, start.y + 4, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 24), { steps: 20 });
  // The drop line or the empty column's "Drop here" shows where the card lands.
  await expect(column(page, toColumn).getByText('Drop here').or(column(page, toColumn).locator('.tb-drop-indicator'))).toBeVisible();
  await page.mouse.up();
}

/**
 * Opens the card's panel by clicking the card; resolves with the panel. The board ignores a click in the
 * first quarter second after a drag ends (the drop's own click), so a click that soon is tried again.
 */
export async function openCard(page: Page, columnName: string, title: string): Promise<Locator> {
  const panel = cardPanel(page, title);
  await expect(async () => {
    if (!(await panel.isVisible())) await cardIn(page, columnName, title).click();
    await expect(panel).toBeVisible({ timeout: 1_000 });
  }).toPass({ intervals: [300, 500, 1_000] });
  await expect(history(panel)).toBeVisible();
  return panel;
}

/** Closes the card panel with Escape. */
export async function closePanel(page: Page, panel: Locator): Promise<void> {
  // From the close button: Escape in a text field only leaves the field.
  const close = panel.getByRole('button', { name: 'Close panel (Esc)' });
  await close.focus();
  await expect(close).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
}

/** Opens Settings (its sidebar button toggles: it is pressed only when Settings is not already shown). */
export async function openSettings(page: Page): Promise<Locator> {
  const button = page.getByRole('navigation', { name: 'Boards and accounts' }).getByRole('button', { name: 'Settings' });
  if ((await button.getAttribute('aria-current')) !== 'page') await button.click();
  const settings = page.getByRole('main');
  await expect(settings.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  return settings;
}

/** Back from settings to the board named `name`. */
export async function openBoard(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Boards and accounts' }).getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByRole('tab', { name: 'Board' }).click();
}

/** Chooses a theme in Settings ▸ Appearance; the page's root then carries it. */
export async function chooseTheme(page: Page, theme: Theme): Promise<void> {
  const settings = await openSettings(page);
  const radio = settings.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: theme === 'light' ? /^Light/ : /^Dark/ });
  // The radio itself sits under the option's picture: a person clicks the option (its label).
  await radio.locator('xpath=ancestor::label').click();
  await expect(radio).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** axe-core on what is on screen: the serious and critical violations, one line each (none expected). */
export async function seriousAccessibilityIssues(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map((node) => `${violation.impact}: ${violation.id} (${violation.help}) at ${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
    );
}
