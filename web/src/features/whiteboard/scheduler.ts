/** Time for the board engine, injectable so tests decide when timers fire. */
export interface Scheduler {
  now(): number;
  /** Runs `task` after `ms`; returns a function that cancels it. */
  schedule(task: () => void, ms: number): () => void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  schedule: (task, ms) => {
    const timer = setTimeout(task, ms);
    return () => clearTimeout(timer);
  },
};
