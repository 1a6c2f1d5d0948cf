// The benchmark's floor: a worker that only reads the files it is given, as the MD5 workers read
// them (`Blob.arrayBuffer()` of each whole file), and answers how many bytes it read.
self.addEventListener('message', async (event: MessageEvent<File[]>) => {
  let bytes = 0;
  for (const file of event.data) bytes += (await file.arrayBuffer()).byteLength;
  self.postMessage(bytes);
});
