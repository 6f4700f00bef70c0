// ESLint for the browser code (src/siberia_map/static/*.js): plain scripts, each an IIFE
// over Leaflet's global `L`, inlined into one page in manifest order. `make lint` runs it;
// `make lint-fix` applies the automatic fixes (var -> let/const among them).
const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
	// Only our browser code: never the virtual environment's or npm's packages.
	{ignores: ['.venv/**', 'node_modules/**', 'build/**', 'dist/**', 'output/**', 'tests/**', 'benchmarks/**', 'scripts/**', 'examples/**']},
	{
		files: ['src/siberia_map/static/**/*.js'],
		languageOptions: {
			ecmaVersion: 2020,
			sourceType: 'script',
			globals: {...globals.browser, L: 'readonly'},
		},
		rules: {
			...js.configs.recommended.rules,
			'no-var': 'error',
			'prefer-const': 'error',
			// One name per declaration, so that --fix can make each one const or let.
			'one-var': ['error', 'never'],
			// Unused arguments keep Leaflet's signatures (onAdd(map)) readable.
			'no-unused-vars': ['error', {args: 'none', caughtErrors: 'none'}],
			eqeqeq: ['error', 'always'],
		},
	},
];
