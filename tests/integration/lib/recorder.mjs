// What a fake service received, in order, with a way to wait for the first item that matches.
export class Recorder {
  constructor(what) {
    this.what = what;
    this.items = [];
    this.waiters = [];
  }

  add(item) {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(item)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(item);
      }
    }
  }

  // The first item (already received or to come) that `match` accepts.
  waitFor(match, timeoutMs = 10_000) {
    const seen = this.items.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) {
          this.waiters.splice(index, 1);
          reject(new Error(`no matching ${this.what} within ${timeoutMs} ms`));
        }
      }, timeoutMs).unref();
    });
  }
}
