/** Types of ./node-flags.js, for test/deploy/node-flags.test.ts. */
export declare const DOCKERFILE: string;
/** The flags in `NODE_OPTIONS="..."` of a Dockerfile's text; throws unless there is exactly one. */
export declare function parseNodeOptions(dockerfileText: string): string[];
/** The production flags, from docker/Dockerfile. */
export declare function productionFlags(): string[];
