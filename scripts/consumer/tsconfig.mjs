// The tsconfig.json of a strict TypeScript user's project, as the consumer and snippet checks
// compile it: strict, skipLibCheck false (the published declarations are checked too), NodeNext
// (the package.json's "type" decides CommonJS or ESM), sources in src/, output in dist/.

/** A fresh copy of the strict consumer's tsconfig.json. */
export function consumerTsconfig() {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      esModuleInterop: true,
      types: ['node'],
      outDir: 'dist',
      rootDir: 'src',
    },
    include: ['src'],
  };
}
