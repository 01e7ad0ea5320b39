import type { Loader, Preview } from '@storybook/react-vite';
import type { RequestHandler } from 'msw';
import { setupWorker } from 'msw/browser';

/**
 * What a story puts in `parameters.msw`: the handlers that answer its requests. Nothing reaches a real server, so the
 * stories run offline; a request no handler answers goes on to Storybook's own server (and fails there).
 *
 * @example
 * export const Ready: Story = { parameters: { msw: { handlers: [http.post('/api/session', () => HttpResponse.json(session))] } } };
 */
export interface MswParameters {
  handlers: RequestHandler[];
}

const worker = setupWorker();
let started: Promise<unknown> | undefined;

/** Starts the worker once per page, then gives it the story's handlers before the story renders. */
const mswLoader: Loader = async ({ parameters }) => {
  started ??= worker.start({
    // Relative to iframe.html, so that a Storybook deployed under a sub-path finds it too.
    serviceWorker: { url: './mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
  await started;
  worker.resetHandlers(...((parameters.msw as MswParameters | undefined)?.handlers ?? []));
  // Handlers marked `{ once: true }` answer again when the story is opened again.
  worker.restoreHandlers();
  return {};
};

const preview: Preview = {
  parameters: { layout: 'padded' },
  loaders: [mswLoader],
};

export default preview;
