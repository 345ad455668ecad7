/** `edgeship/cdk`: the edgeship site as an AWS CDK construct, and the pieces `edgeship synth` uses. */
export { EdgeshipSite, type EdgeshipSiteProps } from './site.js';
export { OUTPUT_KEYS } from './output-keys.js';
export { EdgeshipStack, synthesizeSite, defaultStackName, type EdgeshipStackProps, type SynthOptions, type SynthResult } from './stack.js';
export { validateForSynth, SYNTH_LIMITS, type SynthValidation } from './validate.js';
export { resolveTargetFromStack, type StackTarget, type ResolveFromStackOptions } from './stack-outputs.js';
export { githubWorkflow, type WorkflowOptions } from './workflow.js';
