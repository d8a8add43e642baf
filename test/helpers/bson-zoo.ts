/**
 * Hand-assembled BSON for fidelity and validation tests: a document holding every BSON type (the
 * deprecated ones included, which the bson library cannot write), and a corpus of malformed documents,
 * each well-framed (its int32 length matches its bytes and it ends with 0x00) so that only a structural
 * check can refuse it.
 */

/** One element: type byte, key (cstring), value bytes. */
export function element(type: number, key: string | Uint8Array, value: Uint8Array): Buffer {
  const k = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  return Buffer.concat([Buffer.of(type), k, Buffer.of(0), value]);
}

/** A document from element bytes: int32 length, elements, 0x00. */
export function documentOf(...elements: Uint8Array[]): Buffer {
  const body = Buffer.concat(elements);
  const out = Buffer.alloc(body.length + 5);
  out.writeInt32LE(out.length, 0);
  body.copy(out, 4);
  return out;
}

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n, 0);
  return b;
}

/** A BSON string value: int32 length (with the NUL), bytes, 0x00. */
export function bsonString(text: string | Uint8Array): Buffer {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  return Buffer.concat([int32(bytes.length + 1), bytes, Buffer.of(0)]);
}

const OID = Buffer.from('65a1b2c3d4e5f60718293a4b', 'hex');

/** Every BSON type, keyed by its name; `_id` first. Types 0x01..0x13, 0x7F, 0xFF, binary subtypes. */
export function typeZoo(id: number): Buffer {
  return documentOf(element(0x10, '_id', int32(id)), ...typeZooElements());
}

/** The elements of {@link typeZoo} after its `_id`: one per BSON type (several for doubles and binaries). */
export function typeZooElements(): Buffer[] {
  const double = Buffer.alloc(8);
  double.writeDoubleLE(3.25);
  const negZero = Buffer.alloc(8);
  negZero.writeDoubleLE(-0);
  const nanPayload = Buffer.from('010000000000f87f', 'hex');
  const scope = documentOf(element(0x10, 'x', int32(1)));
  const code = bsonString('function () { return x; }');
  const codeWithScope = Buffer.concat([int32(4 + code.length + scope.length), code, scope]);
  const long = Buffer.alloc(8);
  long.writeBigInt64LE(-9007199254740993n);
  const date = Buffer.alloc(8);
  date.writeBigInt64LE(1700000000123n);
  const ts = Buffer.from('0100000002000000', 'hex');
  const decimal = Buffer.from('01000000000000000000000000403030', 'hex');
  const oldBinary = Buffer.concat([int32(4 + 3), Buffer.of(0x02), int32(3), Buffer.of(1, 2, 3)]);
  return [
    element(0x01, 'double', double),
    element(0x01, 'negativeZero', negZero),
    element(0x01, 'nanWithPayload', nanPayload),
    element(0x02, 'string', bsonString('héllo wörld ✓')),
    element(0x03, 'document', documentOf(element(0x02, 'a', bsonString('b')))),
    element(
      0x03,
      'dbrefShaped',
      documentOf(element(0x07, '$id', OID), element(0x02, '$ref', bsonString('c'))),
    ),
    element(0x04, 'array', documentOf(element(0x10, '0', int32(1)), element(0x02, '1', bsonString('two')))),
    element(0x05, 'binary', Buffer.concat([int32(3), Buffer.of(0x00), Buffer.of(7, 8, 9)])),
    element(0x05, 'binaryOld', oldBinary),
    element(0x05, 'uuid', Buffer.concat([int32(16), Buffer.of(0x04), Buffer.alloc(16, 0xab)])),
    element(0x05, 'userBinary', Buffer.concat([int32(2), Buffer.of(0x80), Buffer.of(1, 2)])),
    element(0x06, 'undefined', Buffer.alloc(0)),
    element(0x07, 'objectId', OID),
    element(0x08, 'bool', Buffer.of(1)),
    element(0x09, 'date', date),
    element(0x0a, 'null', Buffer.alloc(0)),
    element(0x0b, 'regex', Buffer.from('^a.*z$\0mix\0', 'latin1')),
    element(0x0c, 'dbPointer', Buffer.concat([bsonString('db.coll'), OID])),
    element(0x0d, 'code', code),
    element(0x0e, 'symbol', bsonString('sym')),
    element(0x0f, 'codeWithScope', codeWithScope),
    element(0x10, 'int32', int32(-42)),
    element(0x11, 'timestamp', ts),
    element(0x12, 'int64', long),
    element(0x13, 'decimal128', decimal),
    element(0xff, 'minKey', Buffer.alloc(0)),
    element(0x7f, 'maxKey', Buffer.alloc(0)),
    element(0x02, 'email', bsonString('someone@example.com')),
  ];
}

/** One malformed document and the kind of damage it carries. */
export interface Malformed {
  readonly kind: string;
  readonly bytes: Buffer;
}

const id = (n: number): Buffer => element(0x10, '_id', int32(n));

/** At least 50 well-framed documents that are not valid BSON, several of each kind of damage. */
export function malformedCorpus(): Malformed[] {
  const out: Malformed[] = [];
  let n = 1000;
  const add = (kind: string, ...elements: Uint8Array[]): void => {
    out.push({ kind, bytes: documentOf(id(n++), ...elements) });
  };
  // string lengths: too long, zero, negative, past the document
  for (const length of [0, -1, -100, 7, 100, 0x7fffffff, 2 ** 31 - 8])
    add('bad string length', element(0x02, 's', Buffer.concat([int32(length), Buffer.from('abc\0')])));
  add('string without its 0x00', element(0x02, 's', Buffer.concat([int32(4), Buffer.from('abcd')])));
  add('string without its 0x00', element(0x0d, 'c', Buffer.concat([int32(2), Buffer.from('xy')])));
  // invalid UTF-8 in values and keys
  for (const bad of [
    [0xff],
    [0xc0, 0x80],
    [0xed, 0xa0, 0x80],
    [0xe2, 0x82],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0x80],
  ]) {
    add('invalid UTF-8 in a string', element(0x02, 's', bsonString(Buffer.from([0x61, ...bad]))));
    add('invalid UTF-8 in a key', element(0x10, Buffer.from([0x6b, ...bad]), int32(1)));
  }
  add('invalid UTF-8 in a symbol', element(0x0e, 'y', bsonString(Buffer.of(0xfe))));
  add(
    'invalid UTF-8 in a long string',
    element(0x02, 's', bsonString(Buffer.concat([Buffer.alloc(40, 0x61), Buffer.of(0xff)]))),
  );
  // corrupted arrays and embedded documents
  const array = documentOf(element(0x10, '0', int32(1)), element(0x10, '1', int32(2)));
  for (const delta of [-1, -3, 1, 50]) {
    const broken = Buffer.from(array);
    broken.writeInt32LE(array.length + delta, 0);
    add('corrupted array length', element(0x04, 'a', broken));
  }
  const unterminated = Buffer.from(array);
  unterminated[unterminated.length - 1] = 0x01;
  add('array without its 0x00', element(0x04, 'a', unterminated));
  add('corrupted array element', element(0x04, 'a', documentOf(element(0x02, '0', int32(99)))));
  add('embedded document length below 5', element(0x03, 'd', Buffer.concat([int32(4), Buffer.alloc(4)])));
  add(
    'embedded document with a wrong length',
    element(0x03, 'd', Buffer.concat([int32(40), Buffer.of(0x10, 0x78, 0, 1, 0, 0, 0, 0)])),
  );
  // unknown types and bad fixed-size values
  for (const type of [0x00, 0x14, 0x20, 0x80, 0xfe])
    add('unknown element type', element(type, 'u', int32(1)));
  for (const value of [2, 0xff]) add('boolean neither 0 nor 1', element(0x08, 'b', Buffer.of(value)));
  add('double cut short', element(0x01, 'd', Buffer.alloc(3)));
  add('objectId cut short', element(0x07, 'o', Buffer.alloc(5)));
  add('decimal128 cut short', element(0x13, 'm', Buffer.alloc(9)));
  // binaries
  for (const length of [-1, 200, 0x7ffffff0])
    add(
      'bad binary length',
      element(0x05, 'bin', Buffer.concat([int32(length), Buffer.of(0), Buffer.alloc(2)])),
    );
  add(
    'binary subtype 2 with a wrong inner length',
    element(0x05, 'bin', Buffer.concat([int32(7), Buffer.of(2), int32(9), Buffer.alloc(3)])),
  );
  // regex, DBPointer, code with scope
  add('regex without terminators', element(0x0b, 'r', Buffer.from('abc')));
  add('dbPointer cut short', element(0x0c, 'p', Buffer.concat([bsonString('db.c'), Buffer.alloc(4)])));
  const code = bsonString('f()');
  const scope = documentOf(element(0x10, 'x', int32(1)));
  for (const delta of [-2, 3, 1000])
    add(
      'code with scope length mismatch',
      element(0x0f, 'cws', Buffer.concat([int32(4 + code.length + scope.length + delta), code, scope])),
    );
  add(
    'code with scope length below its minimum',
    element(0x0f, 'cws', Buffer.concat([int32(5), Buffer.alloc(8)])),
  );
  // element names and nesting
  out.push({
    kind: 'element name without its 0x00',
    bytes: documentOf(id(n++), Buffer.from([0x10, 0x6b, 0x6b])),
  });
  let deep = documentOf();
  for (let i = 0; i < 210; i++) deep = documentOf(element(0x03, 'd', deep));
  add('nested deeper than 200 levels', element(0x03, 'deep', deep));
  // the document's own elements run past its end
  out.push({ kind: 'elements past the end', bytes: documentOf(id(n++), Buffer.of(0x01, 0x64, 0x00, 1, 2)) });
  return out;
}
