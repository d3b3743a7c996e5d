using UcsMailConfig.Dkim;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Rendering;

/// <summary>
/// Derive, then render: a policy's render model and the tree rendered from it, made in one
/// place so that a tree always comes with the model it was rendered from (plan and apply need
/// both). Pure: the public keys are read by the caller.
/// </summary>
public sealed record RenderedPolicy(RenderModel Model, RenderedTree Tree)
{
    public static RenderedPolicy Of(MailPolicy policy, DkimPublicKeys keys)
    {
        var model = RenderModelDeriver.Derive(policy, keys);
        return new RenderedPolicy(model, TreeRenderer.Render(model));
    }
}
