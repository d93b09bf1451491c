// The segmentation worker (a module worker, made by segmenter.ts): runs the model off the page's
// thread. The protocol and its logic are in segmentationProtocol.ts; this file only wires them to
// the worker's scope.

import { SegmentationEngine } from './segmentationEngine';
import { segmentationService, type FromWorker, type ToWorker } from './segmentationProtocol';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const handle = segmentationService(
  (message, transfer) => scope.postMessage(message, transfer),
  (assets) => SegmentationEngine.create(assets),
);
scope.onmessage = (event) => void handle(event.data);
