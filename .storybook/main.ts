import type { StorybookConfig } from '@storybook/react-vite'

// Offline and private: no telemetry, no update checks. The library's own Vite config (lib/demo modes) is not used
// by Storybook's builder beyond what it reads from the project root; stories import the source directly.
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true, enableCrashReports: false },
  typescript: { reactDocgen: false },
}
export default config
