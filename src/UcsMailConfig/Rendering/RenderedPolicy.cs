using UcsMailConfig.Dkim;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Rendering;

/// <summary>
/// Derive, then render: a policy's render model and the tree rendered from it, made in one
/// place so that a tree always comes with the model it was rendered from (plan and apply need
/// both). Pure: the public keys are read by the caller.
/// </summary>
public sealed record RenderedPolicy(RenderModel Model, RenderedTree Tree)
{
    public static RenderedPolicy Of(MailPolicy policy, DkimPublicKeys keys) => Of(policy, keys, StockMilterTemplate.Ucs5, networks: null);

    /// <summary>
    /// For one host, whose stock 70_milter writes the milter lists <paramref name="milterTemplate"/> says
    /// and whose Postfix relays for <paramref name="networks"/> (null: not read, a note says what apply adds).
    /// </summary>
    internal static RenderedPolicy Of(MailPolicy policy, DkimPublicKeys keys, StockMilterTemplate milterTemplate, PostfixNetworks? networks)
    {
        var model = RenderModelDeriver.Derive(policy, keys, milterTemplate, networks);
        return new RenderedPolicy(model, TreeRenderer.Render(model));
    }
}
