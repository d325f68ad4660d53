// electron-builder's afterPack hook (electron-builder.yml): sets Electron's fuses on the packaged binary
// before it is signed. The settings and the step live in src-main/app/fuses.ts (tested there as data),
// loaded here by Node's type stripping. On a stub Electron (machines where the binary cannot be
// downloaded) the step is skipped and one line says why; a real binary that cannot be set fails the build.
import builder from 'electron-builder';
import { applyFuses } from '../src-main/app/fuses.ts';

/** @param {import('electron-builder').AfterPackContext} context */
export async function afterPack(context) {
  const { packager } = context;
  await applyFuses(
    {
      appOutDir: context.appOutDir,
      platform: context.electronPlatformName,
      arch: builder.Arch[context.arch],
      executableName: packager.executableName ?? packager.appInfo.productFilename,
      productFilename: packager.appInfo.productFilename,
    },
    (line) => console.log(`  • ${line}`),
  );
}
