import { GatewayService } from '../gateway/GatewayService';
import { SandboxTryService } from '../sandbox/SandboxTryService';
import { ApiRouter } from './ApiRouter';
import { CallerResolver } from './CallerResolver';

/** Try-it: signed-in users call a product's sandbox through the gateway's steps. */
export function bindSandboxRoutes(
  router: ApiRouter,
  deps: {
    callers: CallerResolver;
    gateway: GatewayService;
    sandboxTry: SandboxTryService;
  },
) {
  const { callers, gateway, sandboxTry } = deps;

  router.post('/v1/sandbox/try', async (req, res) => {
    const caller = await callers.resolve(req);
    res.json(
      await sandboxTry.call(
        {
          partner: caller.membership?.partner,
          clientIp: gateway.clientIp(req),
        },
        req.body,
      ),
    );
  });
}
