// TypeDoc plugin: after typedoc-plugin-missing-exports has gathered every type it saw referenced
// into the `internal` modules (also from private members and @internal ones, which TypeDoc drops
// later), keep only the internal types a public declaration really names, directly or through
// another kept type, so the reference lists no plumbing a user never meets.
import { Converter, makeRecursiveVisitor, ReflectionKind } from 'typedoc';

/** The ids of the reflections the types on `reflection` and its descendants refer to. */
function referencedIds(reflection) {
  const ids = new Set();
  const visitor = makeRecursiveVisitor({
    reference(type) {
      if (type.reflection) ids.add(type.reflection.id);
    },
  });
  const visit = (node) => {
    for (const type of [
      node.type,
      node.default,
      ...(node.extendedTypes ?? []),
      ...(node.implementedTypes ?? []),
    ])
      type?.visit(visitor);
    node.traverse((child) => {
      visit(child);
    });
  };
  visit(reflection);
  return ids;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      const project = context.project;
      const internalName = app.options.getValue('internalModule');
      const internals = project
        .getReflectionsByKind(ReflectionKind.Module)
        .filter((module) => module.name === internalName);
      // Each internal declaration, by the id of itself and of every reflection inside it.
      const owner = new Map();
      for (const module of internals)
        for (const declaration of module.children ?? []) {
          const mark = (node) => {
            owner.set(node.id, declaration);
            node.traverse((child) => {
              mark(child);
            });
          };
          mark(declaration);
        }
      const kept = new Set();
      const queue = [];
      const reach = (ids) => {
        for (const id of ids) {
          const declaration = owner.get(id);
          if (declaration && !kept.has(declaration)) {
            kept.add(declaration);
            queue.push(declaration);
          }
        }
      };
      // The roots: every declaration of the entry points (an internal module is a child of one).
      for (const module of project.getReflectionsByKind(ReflectionKind.Module))
        if (!internals.includes(module))
          for (const child of module.children ?? [])
            if (child.kindOf(ReflectionKind.SomeModule) === false) reach(referencedIds(child));
      while (queue.length > 0) reach(referencedIds(queue.pop()));
      for (const module of internals) {
        for (const declaration of [...(module.children ?? [])])
          if (!kept.has(declaration)) project.removeReflection(declaration);
        if ((module.children ?? []).length === 0) project.removeReflection(module);
      }
    },
    -100,
  );
}
