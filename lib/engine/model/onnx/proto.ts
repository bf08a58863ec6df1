// The ONNX file format (onnx.proto, IR version ≤ 10) as a protobufjs schema: the messages Assay
// reads (the graph, its inputs and outputs, nodes, attributes, initializers) with the field
// numbers of the ONNX specification. Decoding gives plain objects; tests use the same schema to
// build small graphs.

import type * as Protobuf from "protobufjs";

/** TensorProto.DataType values used here. */
export const ONNX_DTYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;

export const ONNX_DTYPE_NAME: Record<number, string> = {
  1: "float",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  10: "float16",
  11: "double",
  12: "uint32",
  13: "uint64",
};

/** AttributeProto.AttributeType */
export const ONNX_ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10 } as const;

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: "int64", id: 1 },
            opsetImport: { rule: "repeated", type: "OperatorSetIdProto", id: 8 },
            producerName: { type: "string", id: 2 },
            producerVersion: { type: "string", id: 3 },
            domain: { type: "string", id: 4 },
            modelVersion: { type: "int64", id: 5 },
            docString: { type: "string", id: 6 },
            graph: { type: "GraphProto", id: 7 },
            metadataProps: { rule: "repeated", type: "StringStringEntryProto", id: 14 },
          },
        },
        StringStringEntryProto: { fields: { key: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
        OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: "repeated", type: "NodeProto", id: 1 },
            name: { type: "string", id: 2 },
            initializer: { rule: "repeated", type: "TensorProto", id: 5 },
            docString: { type: "string", id: 10 },
            input: { rule: "repeated", type: "ValueInfoProto", id: 11 },
            output: { rule: "repeated", type: "ValueInfoProto", id: 12 },
            valueInfo: { rule: "repeated", type: "ValueInfoProto", id: 13 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: "repeated", type: "string", id: 1 },
            output: { rule: "repeated", type: "string", id: 2 },
            name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 },
            domain: { type: "string", id: 7 },
            attribute: { rule: "repeated", type: "AttributeProto", id: 5 },
            docString: { type: "string", id: 6 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            refAttrName: { type: "string", id: 21 },
            docString: { type: "string", id: 13 },
            type: { type: "int32", id: 20 },
            f: { type: "float", id: 2 },
            i: { type: "int64", id: 3 },
            s: { type: "bytes", id: 4 },
            t: { type: "TensorProto", id: 5 },
            g: { type: "GraphProto", id: 6 },
            floats: { rule: "repeated", type: "float", id: 7 },
            ints: { rule: "repeated", type: "int64", id: 8 },
            strings: { rule: "repeated", type: "bytes", id: 9 },
            tensors: { rule: "repeated", type: "TensorProto", id: 10 },
            graphs: { rule: "repeated", type: "GraphProto", id: 11 },
          },
        },
        ValueInfoProto: { fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 }, docString: { type: "string", id: 3 } } },
        TypeProto: {
          oneofs: { value: { oneof: ["tensorType", "sequenceType", "mapType"] } },
          fields: {
            tensorType: { type: "TensorTypeProto", id: 1 },
            sequenceType: { type: "SequenceTypeProto", id: 4 },
            mapType: { type: "MapTypeProto", id: 5 },
            denotation: { type: "string", id: 6 },
          },
        },
        TensorTypeProto: { fields: { elemType: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } },
        SequenceTypeProto: { fields: { elemType: { type: "TypeProto", id: 1 } } },
        MapTypeProto: { fields: { keyType: { type: "int32", id: 1 }, valueType: { type: "TypeProto", id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: "repeated", type: "Dimension", id: 1 } } },
        Dimension: {
          oneofs: { value: { oneof: ["dimValue", "dimParam"] } },
          fields: { dimValue: { type: "int64", id: 1 }, dimParam: { type: "string", id: 2 }, denotation: { type: "string", id: 3 } },
        },
        TensorProto: {
          fields: {
            dims: { rule: "repeated", type: "int64", id: 1 },
            dataType: { type: "int32", id: 2 },
            floatData: { rule: "repeated", type: "float", id: 4, options: { packed: true } },
            int32Data: { rule: "repeated", type: "int32", id: 5, options: { packed: true } },
            stringData: { rule: "repeated", type: "bytes", id: 6 },
            int64Data: { rule: "repeated", type: "int64", id: 7, options: { packed: true } },
            name: { type: "string", id: 8 },
            docString: { type: "string", id: 12 },
            rawData: { type: "bytes", id: 9 },
            dataLocation: { type: "int32", id: 14 },
            doubleData: { rule: "repeated", type: "double", id: 10, options: { packed: true } },
          },
        },
      },
    },
  },
};

let modelProtoType: Protobuf.Type | null = null;
function ModelProto(): Protobuf.Type {
  if (!modelProtoType) {
    // loaded with the first ONNX model (20 ms per process and worker thread otherwise); a plain
    // require, which the app's and the CLI's bundlers both resolve (createRequire(__filename)
    // does not resolve inside a Next.js server chunk)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const protobuf = require("protobufjs") as typeof Protobuf;
    modelProtoType = protobuf.Root.fromJSON(descriptor).lookupType("onnx.ModelProto");
  }
  return modelProtoType;
}

// Plain shapes of the decoded messages (protobufjs toObject with longs as numbers).
export interface OnnxTensor {
  name?: string;
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  stringData?: Uint8Array[];
  rawData?: Uint8Array;
  dataLocation?: number;
}
export interface OnnxAttribute {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: OnnxTensor[];
}
export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}
export interface OnnxType {
  tensorType?: { elemType?: number; shape?: { dim?: Array<{ dimValue?: number; dimParam?: string }> } };
  sequenceType?: { elemType?: OnnxType };
  mapType?: { keyType?: number; valueType?: OnnxType };
}
export interface OnnxValueInfo {
  name: string;
  type?: OnnxType;
}
export interface OnnxGraph {
  node?: OnnxNode[];
  name?: string;
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  valueInfo?: OnnxValueInfo[];
}
export interface OnnxModel {
  irVersion?: number;
  opsetImport?: Array<{ domain?: string; version?: number }>;
  producerName?: string;
  producerVersion?: string;
  graph?: OnnxGraph;
}

/** Decodes an .onnx file; throws a plain Error when the bytes are not an ONNX model. */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  const type = ModelProto();
  const msg = type.decode(bytes);
  return type.toObject(msg, { longs: Number, bytes: Uint8Array, defaults: false, arrays: true }) as OnnxModel;
}

/** Encodes a model object (tests, and graph surgery such as replacing a ZipMap output). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const type = ModelProto();
  const err = type.verify(model);
  if (err) throw new Error(`invalid ONNX model object: ${err}`);
  return type.encode(type.fromObject(model)).finish();
}

const utf8 = new TextDecoder();
export function attrString(a: OnnxAttribute | undefined): string | undefined {
  return a?.s ? utf8.decode(a.s) : undefined;
}
export function attrStrings(a: OnnxAttribute | undefined): string[] | undefined {
  return a?.strings?.map((s) => utf8.decode(s));
}

/** Numbers of a tensor (float, double, int32, int64 from typed fields or raw_data, little-endian). */
export function tensorNumbers(t: OnnxTensor): Float64Array {
  const type = t.dataType ?? 0;
  if (t.dataLocation === 1) throw new Error(`tensor "${t.name ?? ""}" keeps its data in an external file, which Assay cannot read; save the model with its weights inside`);
  const raw = t.rawData && t.rawData.byteLength > 0 ? t.rawData : null;
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = type === ONNX_DTYPE.DOUBLE || type === ONNX_DTYPE.INT64 ? 8 : type === ONNX_DTYPE.FLOAT || type === ONNX_DTYPE.INT32 ? 4 : type === ONNX_DTYPE.BOOL || type === ONNX_DTYPE.UINT8 || type === ONNX_DTYPE.INT8 ? 1 : 0;
    if (!size) throw new Error(`tensor "${t.name ?? ""}" has data type ${ONNX_DTYPE_NAME[type] ?? type}, which Assay does not read`);
    const n = raw.byteLength / size;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * size;
      out[i] =
        type === ONNX_DTYPE.DOUBLE
          ? view.getFloat64(o, true)
          : type === ONNX_DTYPE.INT64
            ? Number(view.getBigInt64(o, true))
            : type === ONNX_DTYPE.FLOAT
              ? view.getFloat32(o, true)
              : type === ONNX_DTYPE.INT32
                ? view.getInt32(o, true)
                : type === ONNX_DTYPE.INT8
                  ? view.getInt8(o)
                  : view.getUint8(o);
    }
    return out;
  }
  if (type === ONNX_DTYPE.FLOAT) return Float64Array.from(t.floatData ?? []);
  if (type === ONNX_DTYPE.DOUBLE) return Float64Array.from(t.doubleData ?? []);
  if (type === ONNX_DTYPE.INT64) return Float64Array.from(t.int64Data ?? []);
  if (type === ONNX_DTYPE.INT32 || type === ONNX_DTYPE.BOOL || type === ONNX_DTYPE.UINT8 || type === ONNX_DTYPE.INT8) return Float64Array.from(t.int32Data ?? []);
  throw new Error(`tensor "${t.name ?? ""}" has data type ${ONNX_DTYPE_NAME[type] ?? type}, which Assay does not read`);
}
