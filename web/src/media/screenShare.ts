/**
 * Whether this browser can share a screen at all. Phones mostly cannot (Android Chrome and iOS
 * Safari have no getDisplayMedia), so the button is not offered there rather than failing.
 */
export function supportsScreenShare(
  nav: { mediaDevices?: Partial<Pick<MediaDevices, 'getDisplayMedia'>> } | undefined = globalThis.navigator,
): boolean {
  return typeof nav?.mediaDevices?.getDisplayMedia === 'function';
}
