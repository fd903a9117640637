class CreateCarts < ActiveRecord::Migration[7.2]
  def change
    create_table :carts, id: :string do |t|
      t.timestamps
    end
    create_table :cart_items do |t|
      t.string :cart_id, null: false
      t.integer :item_id, null: false
      t.integer :count, null: false
    end
    add_index :cart_items, [:cart_id, :item_id], unique: true
    add_foreign_key :cart_items, :carts
  end
end
