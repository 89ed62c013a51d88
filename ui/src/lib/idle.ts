// Idle-lock timing: activity resets the clock; the screen locks after the configured seconds.

export class IdleWatch {
  private last: number;

  constructor(
    private seconds: number,
    now: number,
  ) {
    this.last = now;
  }

  /** Any key or pointer activity. */
  touch(now: number): void {
    this.last = now;
  }

  /** Change the limit (settings saved); 0 disables locking. */
  setSeconds(seconds: number): void {
    this.seconds = seconds;
  }

  /** True once the desk has been idle for the whole limit. */
  due(now: number): boolean {
    return this.seconds > 0 && now - this.last >= this.seconds * 1000;
  }
}
