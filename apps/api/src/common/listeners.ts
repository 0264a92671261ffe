/**
 * Who wants to hear of something a service has done, once it has committed (a slice telling another
 * without depending on it: Townhall ID hears that an appointment ended). A listener must not throw;
 * what it starts is its own.
 */
export class Listeners<T> {
  readonly #listeners: ((value: T) => void)[] = [];

  add(listener: (value: T) => void): void {
    this.#listeners.push(listener);
  }

  notify(value: T): void {
    for (const listener of this.#listeners) listener(value);
  }
}
