// A stand-in for the third-party Hosted Fields library in jsdom, modelling what FACTS.md documents: one use per
// session token (a reuse is an `init` error event), iframes inserted into each target, `destroy()` that removes only
// its listener and leaves the iframes behind.
import type {
  HostedFieldsConfig,
  HostedFieldsEventMap,
  HostedFieldsInstance,
  PayrocGlobal,
} from '../../src/core/payrocGlobal';

export interface FakeInstance {
  config: HostedFieldsConfig;
  initializeCalls: number;
  destroyed: boolean;
  emit<E extends keyof HostedFieldsEventMap>(event: E, payload: HostedFieldsEventMap[E]): void;
}

export function createFakePayrocLibrary(options: { throwOnConstruct?: string } = {}) {
  const instances: FakeInstance[] = [];
  const usedTokens = new Set<string>();

  class FakeHostedFields implements HostedFieldsInstance {
    private readonly record: FakeInstance;
    private readonly handlers = new Map<string, ((payload: never) => void)[]>();

    constructor(config: HostedFieldsConfig) {
      if (options.throwOnConstruct) throw new Error(options.throwOnConstruct);
      const handlers = this.handlers;
      this.record = {
        config,
        initializeCalls: 0,
        destroyed: false,
        emit(event, payload) {
          for (const handler of handlers.get(event) ?? []) handler(payload as never);
        },
      };
      instances.push(this.record);
    }

    on<E extends keyof HostedFieldsEventMap>(event: E, handler: (payload: HostedFieldsEventMap[E]) => void): void {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler as (payload: never) => void]);
    }

    async initialize(): Promise<void> {
      this.record.initializeCalls++;
      await Promise.resolve();
      const token = this.record.config.sessionToken;
      if (usedTokens.has(token)) {
        this.record.emit('error', { type: 'init', message: 'Session token has already been used' });
        return;
      }
      usedTokens.add(token);
      const card = 'card' in this.record.config.fields ? this.record.config.fields.card : undefined;
      for (const [name, field] of Object.entries(card ?? {})) {
        const frame = document.createElement('iframe');
        frame.dataset.payrocField = name;
        frame.dataset.sessionToken = token;
        document.querySelector(field.target)!.appendChild(frame);
      }
    }

    destroy(): void {
      this.record.destroyed = true;
      this.handlers.clear();
    }
  }

  const payroc: PayrocGlobal = { hostedFields: FakeHostedFields };
  return { payroc, instances, usedTokens };
}
