import type { StorybookConfig } from '@storybook/react-vite';

// Written by hand (no `storybook init`): no addons to download, no telemetry, builds offline.
const config: StorybookConfig = {
  stories: ['../storybook/**/*.stories.tsx'],
  framework: { name: '@storybook/react-vite', options: {} },
  // mockServiceWorker.js (from `npx msw init storybook/public --no-save`) must be served from the root, so that the
  // worker's scope covers iframe.html.
  staticDirs: ['../storybook/public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
};

export default config;
