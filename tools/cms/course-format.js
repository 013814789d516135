// The course editor's file format, "course-yaml" (Decap CMS's custom format API,
// CMS.registerCustomFormat(name, extension, {fromFile, toFile})).
//
// Decap's own YAML format writes the whole file again in its own layout: the
// first-line comment and every other comment go, long lines are folded, flow
// lists [zh, en] and mappings {en: .., zh: ..} become block style.  This one
// keeps the file as it was written and changes only what the form changed:
//
// - fromFile(text): the data (YAML 1.2, as Decap's own format reads it), and the
//   text itself, remembered by the course's id (its slug);
// - toFile(data): the remembered text, parsed with its comments and styles
//   (the `yaml` library's Document), with only the differences between its data
//   and the form's applied, each at the deepest path that changed; every other
//   line stays byte for byte (tests/test_cms.py checks the round trip of every
//   course file).  A new course is written in the schema's key order, block
//   style, under the first-line comment the checker asks for.
//
// No import: the page (site_builder/templates/admin.html) passes the vendored
// library in, so the tests can run this module under Node with the same files.
// `settings` comes from site_builder/cms.py: {modeline, shape}, where a shape
// is {keys: [field names in order], optional: [names], fields: {name: shape}}
// (a field's shape is its record's, or each item's for a list of records).

/** Options under which parse -> toString gives back every course file unchanged. */
export const TO_STRING = { lineWidth: 0, flowCollectionPadding: false };

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Nothing written: no value, an empty or blank text, or a mapping of nothing
 *  (Decap writes {en: ""} for an optional text left empty; the checker refuses it). */
export function isBlank(v) {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (isMap(v)) return Object.values(v).every(isBlank);
  return false;
}

/** The same value as the file has, scalars compared as text (96 and "96" are one). */
function same(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (isMap(a) || isMap(b)) {
    if (!isMap(a) || !isMap(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same(a[k], b[k]));
  }
  return (a === null || a === undefined ? '' : String(a)) === (b === null || b === undefined ? '' : String(b));
}

function keyOf(pair) {
  const key = pair.key;
  return key !== null && typeof key === 'object' && 'value' in key ? String(key.value) : String(key);
}

export function courseYaml(YAML, settings) {
  const { modeline, shape: root } = settings;
  /** The text each course was last read from, by id. */
  const originals = new Map();

  function parse(text) {
    const doc = YAML.parseDocument(text);
    if (doc.errors.length) throw new Error('YAML parsing error:\n' + doc.errors.map((e) => e.message).join('\n'));
    return doc;
  }

  /** A new node for `value`, in the style of its neighbours (`siblings`: nodes). */
  function node(doc, value, siblings) {
    const made = doc.createNode(value);
    const like = siblings.find((n) => n && typeof n === 'object' && 'flow' in n);
    if (like && YAML.isCollection(made) && made.constructor === like.constructor) made.flow = like.flow;
    return made;
  }

  /** Add the field `key` to the mapping at `path`, where the schema orders it. */
  function addKey(doc, path, key, value, shape) {
    const map = path.length ? doc.getIn(path, true) : doc.contents;
    if (!YAML.isMap(map)) {
      doc.setIn([...path, key], value);
      return;
    }
    const pair = doc.createPair(key, value);
    if (YAML.isCollection(pair.value) && map.flow) pair.value.flow = true;
    // A list of ids written like its neighbours' ([zh, en] beside [zh, en]).
    const scalars = (n) => YAML.isSeq(n) && n.items.length > 0 && n.items.every((i) => YAML.isScalar(i));
    const peer = map.items.find((p) => scalars(p.value));
    if (peer && scalars(pair.value)) pair.value.flow = peer.value.flow;
    const order = (shape && shape.keys) || [];
    const rank = order.indexOf(key);
    let at = map.items.length;
    if (rank >= 0) {
      const later = map.items.findIndex((p) => order.indexOf(keyOf(p)) > rank);
      if (later >= 0) at = later;
    }
    map.items.splice(at, 0, pair);
  }

  /** Apply to `doc` what changed at `path` from `old` (the file's) to `now` (the form's). */
  function apply(doc, path, old, now, shape) {
    if (isMap(old) && isMap(now)) {
      for (const key of Object.keys(old)) {
        if (!(key in now)) doc.deleteIn([...path, key]);
      }
      for (const key of Object.keys(now)) {
        const value = now[key];
        const child = shape && shape.fields ? shape.fields[key] : undefined;
        if (!(key in old)) {
          // A field the form added that the file did not have: written only with a value.
          if (!isBlank(value) && !(Array.isArray(value) && value.length === 0)) {
            addKey(doc, path, key, ordered(value, child, null), shape);
          }
        } else if (isBlank(value) && !isBlank(old[key])) {
          doc.deleteIn([...path, key]); // cleared in the form: an optional field left out
        } else if (!isBlank(value) || !isBlank(old[key])) {
          apply(doc, [...path, key], old[key], value, child);
        }
      }
      return;
    }
    if (Array.isArray(old) && Array.isArray(now)) {
      const seq = doc.getIn(path, true);
      if (!YAML.isSeq(seq)) {
        doc.setIn(path, ordered(now, shape, null));
        return;
      }
      // The items before and after the change are left alone; those between
      // are compared one by one, then the extra ones added or removed.
      let head = 0;
      while (head < old.length && head < now.length && same(old[head], now[head])) head++;
      let tail = 0;
      while (tail < old.length - head && tail < now.length - head
             && same(old[old.length - 1 - tail], now[now.length - 1 - tail])) tail++;
      const oldMiddle = old.length - head - tail;
      const newMiddle = now.length - head - tail;
      const common = Math.min(oldMiddle, newMiddle);
      for (let i = head; i < head + common; i++) apply(doc, [...path, i], old[i], now[i], shape);
      const at = head + common;
      if (newMiddle > common) {
        // A new item's fields in the schema's order, as the other items have them.
        const added = now.slice(at, head + newMiddle).map((v) => node(doc, ordered(v, shape, null), seq.items));
        seq.items.splice(at, 0, ...added);
      } else if (oldMiddle > common) {
        seq.items.splice(at, oldMiddle - common);
      }
      return;
    }
    if (!isMap(old) && !Array.isArray(old) && !isMap(now) && !Array.isArray(now)) {
      const scalar = doc.getIn(path, true);
      if (typeof now === 'string' && typeof old === 'string' && old.endsWith('\n') && !now.endsWith('\n')
          && now.includes('\n') && YAML.isScalar(scalar)
          && (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED')) {
        now += '\n'; // a text box drops a block's last line break: keep the file's "|"
      }
      if (same(old, now)) return;
    }
    doc.setIn(path, ordered(now, shape, null));
  }

  /** A new course's data: keys in the schema's order, nothing blank, no optional empty list. */
  function ordered(value, shape, top) {
    if (Array.isArray(value)) return value.map((item) => ordered(item, shape, null));
    if (!isMap(value)) return value;
    const order = top || (shape && shape.keys) || [];
    const optional = new Set((shape && shape.optional) || []);
    const keys = [...order.filter((k) => k in value), ...Object.keys(value).filter((k) => !order.includes(k))];
    const out = {};
    for (const key of keys) {
      const v = value[key];
      if (isBlank(v) || (Array.isArray(v) && v.length === 0 && optional.has(key))) continue;
      out[key] = ordered(v, shape && shape.fields ? shape.fields[key] : undefined, null);
    }
    return out;
  }

  function withModeline(text) {
    return text.startsWith(modeline + '\n') ? text : modeline + '\n' + text;
  }

  return {
    fromFile(text) {
      const data = parse(text).toJS();
      if (isMap(data) && data.id !== undefined && data.id !== null) originals.set(String(data.id), text);
      return data;
    },

    toFile(data, sortedKeys = []) {
      const original = isMap(data) && data.id != null ? originals.get(String(data.id)) : undefined;
      if (original === undefined) {
        const top = sortedKeys && sortedKeys.length ? sortedKeys : undefined;
        const doc = new YAML.Document(ordered(data, root, top));
        return withModeline(doc.toString(TO_STRING));
      }
      const doc = parse(original);
      apply(doc, [], doc.toJS(), data, root);
      return withModeline(doc.toString(TO_STRING));
    },
  };
}
