export { startDemoService, DEMO_SCOPE, type DemoServiceOptions, type RunningDemoService } from './demo-service.ts';
