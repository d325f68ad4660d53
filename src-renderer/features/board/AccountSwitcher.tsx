import { useEffect, useRef, useState } from 'react';
import { Avatar, Button, Dialog, Menu, TextField } from '../../components';
import type { MenuEntry } from '../../components';
import { PlusIcon, SwitchIcon } from '../../components/icons';
import { accountLabel, useAccountStore } from '../../stores/account-store';
import { toast } from '../../stores/toast-store';

/** The current account at the top of the sidebar: switch to another one on this device, or create one. */
export function AccountSwitcher() {
  const accounts = useAccountStore((state) => state.accounts);
  const current = useAccountStore((state) => state.current);
  const switchTo = useAccountStore((state) => state.switchTo);
  const [isCreating, setIsCreating] = useState(false);

  const accountName = current?.account.name ?? 'Account';
  const items: MenuEntry[] = [
    { id: 'heading', heading: 'Accounts on this device' },
    ...accounts.map((account) => ({
      id: account.id,
      label: accountLabel(account),
      hint: account.user.name,
      isChecked: account.isCurrent,
      onSelect: async () => {
        if (account.isCurrent) return;
        const result = await switchTo(account.id);
        if (!result.ok) toast.error('Couldn’t switch accounts', { detail: result.error.message });
        else toast.info(`Switched to ${accountLabel(result.value)}`);
      },
    })),
    { id: 'sep', isSeparator: true },
    { id: 'create', label: 'Create account…', icon: <PlusIcon />, onSelect: () => setIsCreating(true) },
  ];

  return (
    <>
      <Menu
        label="Switch account"
        items={items}
        align="start"
        minWidth={232}
        renderTrigger={(props) => (
          <button type="button" className="tb-account" {...props}>
            <span className="tb-account__logo" aria-hidden="true">
              {accountName.slice(0, 1).toUpperCase()}
            </span>
            <span className="tb-account__text">
              <span className="tb-account__name">{accountName}</span>
              <span className="tb-account__user">{current?.me.name ?? ''}</span>
            </span>
            <span className="tb-visually-hidden">, switch account</span>
            <SwitchIcon size={14} className="tb-account__chevron" />
          </button>
        )}
      />
      <CreateAccountDialog isOpen={isCreating} onClose={() => setIsCreating(false)} />
    </>
  );
}

function CreateAccountDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const create = useAccountStore((state) => state.create);
  const me = useAccountStore((state) => state.current?.me.name ?? '');
  const [name, setName] = useState('');
  const [userName, setUserName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (isOpen) {
      setName('');
      setUserName(me);
      setError(null);
    }
  }, [isOpen, me]);

  async function submit() {
    if (name.trim() === '') {
      setError('Enter a name for the account.');
      nameRef.current?.focus();
      return;
    }
    setIsBusy(true);
    const result = await create(name.trim(), userName.trim());
    setIsBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    toast.info(`Created ${result.value.name ?? 'the account'}`);
    onClose();
  }

  return (
    <Dialog
      isOpen={isOpen}
      onClose={onClose}
      title="Create an account"
      description="An account keeps its own boards, members and history, in its own file on this device."
      initialFocusRef={nameRef}
      size="sm"
      onSubmit={() => void submit()}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" isLoading={isBusy}>
            Create account
          </Button>
        </>
      }
    >
      <TextField
        ref={nameRef}
        label="Account name"
        placeholder="Acme Inc."
        value={name}
        error={error}
        autoComplete="organization"
        onChange={(event) => {
          setName(event.target.value);
          setError(null);
        }}
      />
      <TextField
        label="Your name in it"
        hint="How others see you on cards and in the history."
        value={userName}
        autoComplete="name"
        leading={userName ? <Avatar name={userName} size="sm" isDecorative /> : undefined}
        onChange={(event) => setUserName(event.target.value)}
      />
    </Dialog>
  );
}
