// A new user's first board, end to end through the real UI (the web host in Chromium, or the Electron app):
// each step is checked on screen and in the card's history, in the sentence a person reads. Then the app
// restarts on the same data folder and everything is still there, and a backup is taken and restored.
// A second test checks the board, the card panel, the activity feed and settings with axe in both themes
// and saves screenshots of them under test-results/screenshots/.
import type { Locator, Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures';
import {
  addCards,
  addColumns,
  announcer,
  cardIn,
  chooseTheme,
  closePanel,
  column,
  comment,
  createFirstBoard,
  dismissToasts,
  dragCard,
  expectNewestHistory,
  history,
  openBoard,
  openCard,
  openSettings,
  seriousAccessibilityIssues,
  toasts,
  type Theme,
} from './trailboard';

const BOARD = 'Product launch';
const COLUMNS = ['To do', 'Doing', 'Done'] as const;
const PLAN = 'Draft the launch plan';
const VENUE = 'Book the venue';
const BANNERS = 'Order the banners';
const PRESS = 'Write the press release';
const COMMENT = 'The hall on Quay Street holds 200; asking for a quote.';
const TAG = 'venue';
/** How the board names the closed card and the tagged, assigned one to screen readers. */
const CLOSED_PLAN = new RegExp(`^${PLAN} ?, closed$`);
const TAGGED_VENUE = new RegExp(`^${VENUE} ?, tags: ?${TAG} ?, assigned to \\S`);

/** Moves the focused card with the keyboard: Space picks it up, the arrows move it, Space drops it. */
async function moveWithKeyboard(page: Page, card: Locator, keys: readonly string[], title: string, landing: string): Promise<void> {
  await card.focus();
  await page.keyboard.press('Space');
  await expect(announcer(page)).toContainText(`Picked up ${title}`);
  for (const key of keys) await page.keyboard.press(key);
  await page.keyboard.press('Space');
  await expect(announcer(page)).toHaveText(`Dropped ${title} at ${landing}.`);
}

/** The state the story leaves before the backup: where each card is and what it carries. */
async function expectPlannedBoard(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: BOARD })).toBeVisible();
  for (const name of COLUMNS) await expect(column(page, name)).toBeVisible();
  await expect(column(page, 'To do').getByRole('listitem')).toHaveCount(2);
  await expect(cardIn(page, 'To do', BANNERS)).toBeVisible();
  await expect(cardIn(page, 'To do', PRESS)).toBeVisible();
  await expect(column(page, 'Doing').getByRole('listitem')).toHaveCount(2);
  await expect(cardIn(page, 'Doing', PLAN)).toHaveAccessibleName(CLOSED_PLAN);
  await expect(cardIn(page, 'Doing', VENUE)).toHaveAccessibleName(TAGGED_VENUE);
  await expect(column(page, 'Done').getByText('No cards yet')).toBeVisible();
}

test('a new user plans a board: each step on screen and in the card’s history, kept across a restart and a backup restore', async ({ app }) => {
  let page = app.page;

  await test.step('creates a board with three columns and cards', async () => {
    await expect(page.getByRole('heading', { name: 'Plan your first board' })).toBeVisible();
    await createFirstBoard(page, BOARD);
    await addColumns(page, COLUMNS);
    await addCards(page, 'To do', [PLAN, VENUE, BANNERS, PRESS]);
    await expect(page.getByText('3 columns · 4 cards')).toBeVisible();
    const panel = await openCard(page, 'To do', PLAN);
    await expectNewestHistory(panel, 'You created this card in To do');
    await closePanel(page, panel);
  });

  await test.step('drags a card to another column with the mouse', async () => {
    await dragCard(page, cardIn(page, 'To do', PLAN), 'Doing');
    await expect(cardIn(page, 'Doing', PLAN)).toBeVisible();
    await expect(cardIn(page, 'To do', PLAN)).toHaveCount(0);
    const panel = await openCard(page, 'Doing', PLAN);
    await expectNewestHistory(panel, 'You moved this from To do to Doing');
    await closePanel(page, panel);
  });

  await test.step('moves a card with the keyboard, announced to screen readers', async () => {
    await moveWithKeyboard(page, cardIn(page, 'To do', VENUE), ['ArrowRight', 'ArrowDown'], VENUE, 'position 2 of 2 in Doing');
    await expect(column(page, 'Doing').getByRole('listitem').nth(1).getByRole('button')).toHaveAccessibleName(VENUE);
    const panel = await openCard(page, 'Doing', VENUE);
    await expectNewestHistory(panel, 'You moved this from To do to Doing');
    await closePanel(page, panel);
  });

  await test.step('closes a card', async () => {
    const panel = await openCard(page, 'Doing', PLAN);
    await panel.getByRole('button', { name: 'Close card' }).click();
    await expect(panel.getByText('Closed', { exact: true })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Reopen' })).toBeVisible();
    await expect(toasts(page)).toContainText('Card closed');
    await expectNewestHistory(panel, 'You closed this card');
    await closePanel(page, panel);
    // Focus is back on the card that opened the panel, which now reads as closed.
    await expect(cardIn(page, 'Doing', PLAN)).toBeFocused();
    await expect(cardIn(page, 'Doing', PLAN)).toHaveAccessibleName(CLOSED_PLAN);
  });

  await test.step('assigns and tags a card, and comments on it', async () => {
    const panel = await openCard(page, 'Doing', VENUE);
    await panel.getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('menuitem', { name: /\(you\)$/ }).click();
    await expect(panel.getByRole('group', { name: 'Assignees' })).toContainText('(you)');
    await expectNewestHistory(panel, 'You assigned yourself to this card');

    await panel.getByRole('button', { name: 'Add tag' }).click();
    await panel.getByLabel('New tag (Enter to add)').fill(TAG);
    await panel.getByLabel('New tag (Enter to add)').press('Enter');
    await expect(panel.getByRole('group', { name: 'Tags' }).getByRole('listitem')).toHaveText([TAG]);
    await expectNewestHistory(panel, `You added the tag “${TAG}” to this card`);

    await comment(panel, COMMENT);
    await expectNewestHistory(panel, 'You commented on this card');
    await closePanel(page, panel);
    await expect(cardIn(page, 'Doing', VENUE)).toHaveAccessibleName(TAGGED_VENUE);
  });

  await test.step('undoes a move with Ctrl+Z, which records the move back', async () => {
    await moveWithKeyboard(page, cardIn(page, 'To do', BANNERS), ['ArrowRight', 'ArrowRight'], BANNERS, 'position 1 of 1 in Done');
    const moved = cardIn(page, 'Done', BANNERS);
    // Focus is on the card, not in a text field: Ctrl+Z is the app's undo.
    await expect(moved).toBeFocused();
    await page.keyboard.press('Control+z');
    await expect(toasts(page)).toContainText(`Undone · You moved “${BANNERS}” from Done to To do`);
    await expect(cardIn(page, 'To do', BANNERS)).toBeVisible();
    await expect(column(page, 'Done').getByText('No cards yet')).toBeVisible();
    const panel = await openCard(page, 'To do', BANNERS);
    await expect(history(panel).getByRole('listitem')).toContainText([
      'You moved this from Done to To do',
      'You moved this from To do to Done',
      'You created this card in To do',
    ]);
    await closePanel(page, panel);
    await expectPlannedBoard(page);
  });

  await test.step('the board’s activity feed tells the story', async () => {
    await page.getByRole('tab', { name: 'Activity' }).click();
    const feed = page.getByRole('region', { name: 'Activity' });
    await expect(feed.getByRole('listitem').first()).toContainText(`You moved “${BANNERS}” from Done to To do`);
    for (const sentence of [
      `You commented on the card “${VENUE}”`,
      `You added the tag “${TAG}” to the card “${VENUE}”`,
      `You assigned yourself to the card “${VENUE}”`,
      `You closed the card “${PLAN}”`,
      `You moved “${PLAN}” from To do to Doing`,
      `You created the board “${BOARD}”`,
    ]) {
      await expect(feed.getByRole('listitem').filter({ hasText: sentence })).toHaveCount(1);
    }
    await page.getByRole('tab', { name: 'Board' }).click();
  });

  await test.step('the app restarts on the same data folder and everything is still there', async () => {
    await app.stop();
    if (app.target === 'web') {
      // The page stays open without its host, and says so.
      await expect(page.getByRole('status').filter({ hasText: 'Reconnecting to Trailboard' })).toBeVisible();
    }
    page = await app.start();
    await expect(page.getByRole('navigation', { name: 'Boards and accounts' }).getByRole('button', { name: BOARD, exact: true })).toBeVisible();
    await openBoard(page, BOARD);
    await expectPlannedBoard(page);
    const panel = await openCard(page, 'Doing', VENUE);
    await expect(panel.getByRole('group', { name: 'Assignees' })).toContainText('(you)');
    await expect(panel.getByRole('group', { name: 'Tags' }).getByRole('listitem')).toHaveText([TAG]);
    await expect(panel.getByRole('region', { name: /^Comments/ }).getByRole('listitem')).toContainText([COMMENT]);
    await expect(history(panel).getByRole('listitem')).toContainText([
      'You commented on this card',
      `You added the tag “${TAG}” to this card`,
      'You assigned yourself to this card',
      'You moved this from To do to Doing',
      'You created this card in To do',
    ]);
    await closePanel(page, panel);
  });

  await test.step('a backup is taken; a change made after it is gone once the backup is restored', async () => {
    const settings = await openSettings(page);
    await expect(settings.getByRole('heading', { name: 'No backups yet' })).toBeVisible();
    await settings.getByRole('button', { name: 'Back up now' }).click();
    await expect(toasts(page)).toContainText('Backup taken');
    const restoreButtons = settings.getByRole('button', { name: /^Restore the backup of / });
    await expect(restoreButtons).toHaveCount(1);

    const AFTER = 'Added after the backup';
    await openBoard(page, BOARD);
    await addCards(page, 'Done', [AFTER]);
    await expect(page.getByText('3 columns · 5 cards')).toBeVisible();

    await openSettings(page);
    await restoreButtons.click();
    const confirm = page.getByRole('alertdialog', { name: 'Restore this backup?' }).or(page.getByRole('dialog', { name: 'Restore this backup?' }));
    await confirm.getByRole('button', { name: 'Restore backup' }).click();
    await expect(toasts(page)).toContainText('Backup restored');
    await expect(confirm).toBeHidden();

    await openBoard(page, BOARD);
    await expect(cardIn(page, 'Done', AFTER)).toHaveCount(0);
    await expectPlannedBoard(page);
    await expect(page.getByText('3 columns · 4 cards')).toBeVisible();
  });
});

test('the board, a card, the activity feed and settings in both themes: no serious accessibility issue, and screenshots', async ({ app }) => {
  const page = app.page;

  await test.step('a board with work on it', async () => {
    await createFirstBoard(page, BOARD);
    await addColumns(page, COLUMNS);
    await addCards(page, 'To do', [PLAN, VENUE, BANNERS]);
    await addCards(page, 'Doing', [PRESS]);
    const panel = await openCard(page, 'To do', VENUE);
    await panel.getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('menuitem', { name: /\(you\)$/ }).click();
    await expect(panel.getByRole('group', { name: 'Assignees' })).toContainText('(you)');
    await panel.getByRole('button', { name: 'Add tag' }).click();
    await panel.getByLabel('New tag (Enter to add)').fill(TAG);
    await panel.getByLabel('New tag (Enter to add)').press('Enter');
    await expect(panel.getByRole('group', { name: 'Tags' }).getByRole('listitem')).toHaveText([TAG]);
    await comment(panel, COMMENT);
    await expectNewestHistory(panel, 'You commented on this card');
    await closePanel(page, panel);
    const plan = await openCard(page, 'To do', PLAN);
    await plan.getByRole('button', { name: 'Close card' }).click();
    await expectNewestHistory(plan, 'You closed this card');
    await closePanel(page, plan);
    const settings = await openSettings(page);
    await settings.getByRole('button', { name: 'Back up now' }).click();
    await expect(settings.getByRole('button', { name: /^Restore the backup of / })).toHaveCount(1);
  });

  const themes: readonly Theme[] = ['light', 'dark'];
  for (const theme of themes) {
    await test.step(`${theme} theme`, async () => {
      await chooseTheme(page, theme);
      const check = async (view: string): Promise<void> => {
        expect.soft(await seriousAccessibilityIssues(page), `serious or critical axe issues on ${view} (${theme})`).toEqual([]);
        await dismissToasts(page);
        await saveScreenshot(app, `${view}-${theme}`);
      };

      // Settings first: the theme was just chosen there.
      await expect(page.getByRole('button', { name: /^Restore the backup of / })).toHaveCount(1);
      await check('settings');

      await openBoard(page, BOARD);
      await expect(cardIn(page, 'To do', VENUE)).toBeVisible();
      await page.getByRole('heading', { level: 1, name: BOARD }).click();
      await check('board');

      const panel = await openCard(page, 'To do', VENUE);
      await expectNewestHistory(panel, 'You commented on this card');
      await history(panel).getByRole('listitem').last().scrollIntoViewIfNeeded();
      await check('card-panel');
      await closePanel(page, panel);

      await page.getByRole('tab', { name: 'Activity' }).click();
      await expect(page.getByRole('region', { name: 'Activity' }).getByRole('listitem').first()).toContainText(`You closed the card “${PLAN}”`);
      await check('activity');
      await page.getByRole('tab', { name: 'Board' }).click();
    });
  }
});
