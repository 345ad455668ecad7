/**
 * `edgeship/cdk`: the edgeship site as an AWS CDK construct, and the pieces `edgeship synth` uses.
 * Imports aws-cdk-lib and constructs (the app's own copies: peer dependencies) and no AWS SDK
 * client; reading a stack's outputs is `resolveTargetFromStack` from `edgeship`.
 */
export { EdgeshipSite, type EdgeshipSiteProps } from './site.js';
export { OUTPUT_KEYS } from './output-keys.js';
export { EdgeshipStack, synthesizeSite, defaultStackName, type EdgeshipStackProps, type SynthOptions, type SynthResult } from './stack.js';
export { validateForSynth, SYNTH_LIMITS, type SynthValidation } from './validate.js';
export { githubWorkflow, type WorkflowOptions } from './workflow.js';
