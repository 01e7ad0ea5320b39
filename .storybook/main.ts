import type { StorybookConfig } from '@storybook/react-vite';

// Written by hand (no `storybook init`): no addons to download, no telemetry, builds offline.
const config: StorybookConfig = {
  stories: ['../storybook/**/*.stories.tsx'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
};

export default config;
